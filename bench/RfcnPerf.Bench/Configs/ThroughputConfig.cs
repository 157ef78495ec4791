using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>Adds the profile's <see cref="BenchJobs.Throughput"/> job to a benchmark class.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig() => AddJob(BenchJobs.Throughput(BenchContext.Current.Profile));
}
