using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Mathematics.OutlierDetection;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>
/// The jobs of a profile. Model calls take 10 ms - 2 s, so every job measures one request per iteration
/// (Monitoring strategy, one invocation, no unrolling): each sample is one request, and outliers are kept
/// because the tail is the point (docs/BENCHMARKING.md). All but the single-core job run in-process
/// (InProcessEmit): on 2 cores, a build plus one process per case would eat most of the quick profile's budget.
/// </summary>
internal static class BenchJobs
{
    /// <summary>Id of the throughput job (few, long samples: not used for latency percentiles in reports).</summary>
    public const string ThroughputId = "throughput";

    /// <summary>Per-request latency: batch 1, one request in flight.</summary>
    public static Job RealTime(BenchProfile profile) =>
        Monitoring("real-time", profile.WarmupIterations, profile.RealTimeIterations).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>Images/s: batch &gt; 1 or several requests in flight; fewer, longer samples.</summary>
    public static Job Throughput(BenchProfile profile) =>
        Monitoring(ThroughputId, profile.WarmupIterations, profile.ThroughputIterations).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>
    /// The seeds' <c>--cpuset-cpus=0</c> run: the process pinned to core 0. Affinity applies to a whole process, so
    /// this job runs out of process (BenchmarkDotNet builds a host project once and starts one process per case).
    /// </summary>
    public static Job SingleCore(BenchProfile profile) =>
        Monitoring("single-core", profile.WarmupIterations, profile.RealTimeIterations).WithAffinity(1);

    /// <summary>Passes of many images each (end-to-end throughput): a tenth of the real-time iterations, at least 8.</summary>
    public static Job Pipeline(BenchProfile profile) =>
        Monitoring("pipeline", 1, Math.Max(8, profile.RealTimeIterations / 10)).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>Session creation (graph load and optimisation) and first run: few samples, one warm-up.</summary>
    public static Job Creation(BenchProfile profile) =>
        Monitoring("creation", 1, profile.CreationIterations).WithToolchain(InProcessEmitToolchain.Instance);

    /// <summary>
    /// The COCO evaluator benchmarks. <c>full</c>: BenchmarkDotNet's default strategy out of process, 3 warm-up and
    /// 15 measured iterations (what the evaluator's author chose). <c>quick</c>: in process, one invocation per
    /// sample, 2 warm-up and 15 samples, which saves a build and twelve process starts (about 3 minutes here).
    /// </summary>
    public static Job CocoEval(BenchProfile profile) => profile.Name == BenchProfile.Full.Name
        ? Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithId("coco-eval")
        : Monitoring("coco-eval", 2, 15).WithToolchain(InProcessEmitToolchain.Instance);

    private static Job Monitoring(string id, int warmup, int iterations) => Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(warmup)
        .WithIterationCount(iterations)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithOutlierMode(OutlierMode.DontRemove)
        .WithId(id);
}
