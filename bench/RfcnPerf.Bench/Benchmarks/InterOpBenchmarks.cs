using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Inter-op threads with the parallel execution mode (the seeds' TENSORFLOW_INTER_OP_PARALLELISM) against
/// the sequential default, batch 1, ORT default intra-op threads. Graphs without independent branches gain
/// little; the sweep shows whether a model has them.
/// </summary>
[Config(typeof(RealTimeConfig))]
[BenchmarkCategory(BenchCategories.Inference)]
public class InterOpBenchmarks : ISweepCase
{
    private SweepSession? session;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <summary>Execution mode and inter-op threads.</summary>
    [ParamsSource(nameof(InterOpSettings))]
    public InterOpSetting InterOp { get; set; } = InterOpSetting.Sequential;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with { InterOp = InterOp };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    public static IEnumerable<InterOpSetting> InterOpSettings() => BenchContext.Current.Profile.InterOpSettings(BenchContext.PhysicalCores);

    [GlobalSetup]
    public void Setup() => session = SweepSession.Open(nameof(InterOpBenchmarks), Variant, Point);

    [Benchmark(Description = "Run")]
    public ModelOutputs Infer() => session!.Run();

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
