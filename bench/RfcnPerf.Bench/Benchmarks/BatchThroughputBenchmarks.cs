using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Throughput mode: images/s against batch size (ORT default threads). Fixed-batch models run a batchified
/// copy (<see cref="BenchAssets.ModelForBatch"/>); one sample is one request of <see cref="Batch"/> images.
/// </summary>
[Config(typeof(ThroughputConfig))]
[BenchmarkCategory(BenchCategories.Inference)]
public class BatchThroughputBenchmarks : ISweepCase
{
    private SweepSession? session;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <summary>Images per request.</summary>
    [ParamsSource(nameof(BatchSizes))]
    public int Batch { get; set; } = 1;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with { Batch = Batch };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    public static IEnumerable<int> BatchSizes() => BenchContext.Current.Profile.BatchSizes;

    [GlobalSetup]
    public void Setup() => session = SweepSession.Open(nameof(BatchThroughputBenchmarks), Variant, Point);

    [Benchmark(Description = "Run")]
    public ModelOutputs Infer() => session!.Run();

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
