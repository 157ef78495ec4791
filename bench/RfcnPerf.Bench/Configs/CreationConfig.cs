using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>Adds the profile's <see cref="BenchJobs.Creation"/> job to a benchmark class.</summary>
public sealed class CreationConfig : ManualConfig
{
    public CreationConfig() => AddJob(BenchJobs.Creation(BenchContext.Current.Profile));
}
