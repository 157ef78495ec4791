using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Session creation (graph load and optimisation) and the first inference, reported apart from steady state
/// (the seeds averaged a 10 s first step into their numbers). Each sample opens a fresh session; the second
/// method also runs it once, so the difference of the two is the first run's cost.
/// </summary>
[Config(typeof(CreationConfig))]
[BenchmarkCategory(BenchCategories.Creation)]
public class SessionCreationBenchmarks : ISweepCase
{
    private string path = string.Empty;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default;

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => path = BenchFailures.Guard($"{nameof(SessionCreationBenchmarks)} [{Variant}]", () => BenchAssets.ModelForBatch(Variant, 1));

    [Benchmark(Baseline = true, Description = "open session")]
    public TimeSpan Open()
    {
        using var session = DetectorSession.Open(path, Point.ToSettings(), modelName: Variant.ToString());
        return session.CreationTime;
    }

    [Benchmark(Description = "open session + first run")]
    public TimeSpan OpenAndFirstRun()
    {
        using var session = DetectorSession.Open(path, Point.ToSettings(), modelName: Variant.ToString());
        session.Default.Run();
        return session.FirstRunTime ?? TimeSpan.Zero;
    }
}
