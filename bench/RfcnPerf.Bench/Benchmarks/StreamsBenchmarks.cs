using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// Several independent requests in flight on one session (<see cref="DetectorSession.OpenStream"/>), the cores
/// shared between them: 1 stream, one per physical core, and oversubscribed. One sample is one round in which
/// every stream completes a batch-1 request, so its time is the latency each of those requests saw (at most)
/// and images/s counts all streams.
/// </summary>
[Config(typeof(ThroughputConfig))]
[BenchmarkCategory(BenchCategories.Inference)]
public class StreamsBenchmarks : ISweepCase
{
    private SweepSession? session;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <summary>Streams and each one's share of intra-op threads.</summary>
    [ParamsSource(nameof(StreamSettings))]
    public StreamSetting Streams { get; set; } = StreamSetting.ForCores(1, 1);

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with
    {
        Streams = Streams.Streams,
        IntraOpThreads = Streams.IntraOpThreads,
        AllowSpinning = Streams.AllowSpinning,
    };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    public static IEnumerable<StreamSetting> StreamSettings() => BenchContext.Current.Profile.StreamSettings(BenchContext.PhysicalCores);

    [GlobalSetup]
    public void Setup() => session = SweepSession.Open(nameof(StreamsBenchmarks), Variant, Point);

    [Benchmark(Description = "Run on every stream")]
    public ModelOutputs Infer() => session!.RunAllStreams();

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
