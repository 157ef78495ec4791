using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>Adds the profile's <see cref="BenchJobs.SingleCore"/> job to a benchmark class.</summary>
public sealed class SingleCoreConfig : ManualConfig
{
    public SingleCoreConfig() => AddJob(BenchJobs.SingleCore(BenchContext.Current.Profile));
}
