using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Mathematics;
using Perfolizer.Horology;

namespace RfcnPerf.Bench;

/// <summary>
/// Per-request latency of 10 ms - 1 s native calls (docs/BENCHMARKING.md): one invocation per iteration so
/// every sample is one request, outliers kept because the tail is the point, P50/P90/P95 and P99 columns.
/// </summary>
public sealed class LatencyConfig : ManualConfig
{
    public LatencyConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(30)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithOutlierMode(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)
            .WithId("latency"));
        AddColumn(StatisticColumn.Median, StatisticColumn.P90, StatisticColumn.P95, new PercentileColumn(99));
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond);
    }
}
