using BenchmarkDotNet.Configs;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Configs;

/// <summary>Adds the profile's <see cref="BenchJobs.CocoEval"/> job to the COCO evaluator benchmarks.</summary>
public sealed class CocoEvalConfig : ManualConfig
{
    public CocoEvalConfig() => AddJob(BenchJobs.CocoEval(BenchContext.Current.Profile));
}
