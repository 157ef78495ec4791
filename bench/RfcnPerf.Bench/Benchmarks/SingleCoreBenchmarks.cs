using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// The seeds' single-core run (<c>docker run --cpuset-cpus=0</c>): the benchmark process pinned to core 0
/// (BenchmarkDotNet's affinity, out of process) with one intra-op thread, batch 1.
/// </summary>
[Config(typeof(SingleCoreConfig))]
[BenchmarkCategory(BenchCategories.Inference)]
public class SingleCoreBenchmarks : ISweepCase
{
    private SweepSession? session;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with { IntraOpThreads = 1, AffinityCores = 1 };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => session = SweepSession.Open(nameof(SingleCoreBenchmarks), Variant, Point);

    [Benchmark(Description = "Run on core 0")]
    public ModelOutputs Infer() => session!.Run();

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
