using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// What RfcnPerf's <see cref="DetectorStream.Run"/> costs over a bare <c>InferenceSession.Run</c> loop with the
/// same session options, pinned input and pre-allocated outputs (<see cref="BareSession"/>): each one's own latency
/// distribution. The comparison itself (ratio, interval, verdict) comes from the interleaved runner
/// (<see cref="Comparisons.SweepComparisons"/>), not from these two cases measured one after the other.
/// </summary>
[Config(typeof(RealTimeConfig))]
[BenchmarkCategory(BenchCategories.Overhead)]
public class SessionOverheadBenchmarks : ISweepCase
{
    private SweepSession? detector;
    private BareSession? bare;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default;

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => BenchFailures.Guard($"{nameof(SessionOverheadBenchmarks)} [{Variant}]", () =>
    {
        detector = SweepSession.Open(nameof(SessionOverheadBenchmarks), Variant, Point);
        bare = new BareSession(detector, Point);
        return 0;
    });

    [Benchmark(Baseline = true, Description = "bare InferenceSession.Run")]
    public OrtValue[] BareRun() => bare!.Run();

    [Benchmark(Description = "DetectorStream.Run")]
    public ModelOutputs DetectorRun() => detector!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        bare?.Dispose();
        detector?.Dispose();
    }
}
