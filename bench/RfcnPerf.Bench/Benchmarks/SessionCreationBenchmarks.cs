using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Session creation (graph load and optimisation) and the first inference on a fresh session, reported apart
/// from steady state (the seeds averaged a 10 s first step into their numbers). Every sample of
/// <see cref="FirstRun"/> gets a new session, opened outside the measurement by <see cref="OpenFresh"/>.
/// </summary>
[Config(typeof(CreationConfig))]
[BenchmarkCategory(BenchCategories.Creation)]
public class SessionCreationBenchmarks : ISweepCase
{
    private string path = string.Empty;
    private DetectorSession? fresh;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default;

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => path = BenchFailures.Guard($"{nameof(SessionCreationBenchmarks)} [{Variant}]", () => BenchAssets.ModelForBatch(Variant, 1));

    /// <summary>Opens (and disposes) a session: what a server pays once per model and configuration.</summary>
    [Benchmark(Description = "open session")]
    public TimeSpan Open()
    {
        using var session = DetectorSession.Open(path, Point.ToSettings(), modelName: Variant.ToString());
        return session.CreationTime;
    }

    [IterationSetup(Target = nameof(FirstRun))]
    public void OpenFresh()
    {
        fresh = DetectorSession.Open(path, Point.ToSettings(), modelName: Variant.ToString());
        BenchInputs.Fill(fresh.Default);
    }

    /// <summary>The first request on a session that has never run (arena allocation, kernel selection, caches).</summary>
    [Benchmark(Description = "first run")]
    public ModelOutputs FirstRun() => fresh!.Default.Run();

    [IterationCleanup(Target = nameof(FirstRun))]
    public void DisposeFresh()
    {
        fresh?.Dispose();
        fresh = null;
    }
}
