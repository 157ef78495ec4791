using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>Adds the profile's <see cref="BenchJobs.RealTime"/> job to a benchmark class.</summary>
public sealed class RealTimeConfig : ManualConfig
{
    public RealTimeConfig() => AddJob(BenchJobs.RealTime(BenchContext.Current.Profile));
}
