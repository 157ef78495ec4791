using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Real-time mode: batch 1, one request in flight, per-request latency against intra-op threads
/// (0 = ORT default, 1, ..., the physical cores). Inference only (<see cref="DetectorStream.Run"/>).
/// </summary>
[Config(typeof(RealTimeConfig))]
[BenchmarkCategory(BenchCategories.Inference)]
public class RealTimeBenchmarks : ISweepCase
{
    private SweepSession? session;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <summary>Intra-op threads; 0 = ORT default.</summary>
    [ParamsSource(nameof(IntraOpCounts))]
    public int IntraOp { get; set; }

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with { IntraOpThreads = IntraOp };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    public static IEnumerable<int> IntraOpCounts() => BenchContext.Current.Profile.IntraOpCounts(BenchContext.PhysicalCores);

    [GlobalSetup]
    public void Setup() => session = SweepSession.Open(nameof(RealTimeBenchmarks), Variant, Point);

    [Benchmark(Description = "Run")]
    public ModelOutputs Infer() => session!.Run();

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
