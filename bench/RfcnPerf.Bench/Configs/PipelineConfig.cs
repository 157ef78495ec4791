using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>
/// End-to-end throughput: each invocation is a pass over <see cref="Benchmarks.PipelinedThroughputBenchmarks.ImagesPerInvocation"/>
/// images, so a tenth of the real-time iteration count gives as many images as the real-time cases.
/// </summary>
public sealed class PipelineConfig : ManualConfig
{
    public PipelineConfig() => AddJob(BenchJobs.Pipeline(BenchContext.Current.Profile));
}
