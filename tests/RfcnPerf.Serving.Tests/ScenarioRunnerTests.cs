using RfcnPerf.Core;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The scenario engine's rules on a virtual clock with fake systems under test: when a run ends, how the offline
/// query is sized, what multi-stream issues, how unanswered samples count, and the peak search's probes.
/// </summary>
public sealed class ScenarioRunnerTests
{
    private const long Ms = 1_000_000;

    [Theory]
    [InlineData(2.0, 100, 201)] // the duration binds: query 200 is the first issued at 2 s
    [InlineData(0.5, 100, 100)] // the count binds
    public async Task A_stream_run_ends_when_both_minimums_are_met(double minSeconds, long minQueries, long expected)
    {
        var settings = Settings(LoadScenario.SingleStream, 100) with { MinDurationNs = (long)(minSeconds * 1e9), MinQueryCount = minQueries };
        var record = await ScenarioRunner.RunAsync(settings, new ListedLatencySut([10 * Ms]), 8, new VirtualClock());
        Assert.Equal(expected, record.QueriesIssued);
        var summary = new ScenarioSummary("t", settings, record);
        Assert.True(summary.Valid, string.Join("; ", summary.Reasons()));
    }

    [Fact]
    public async Task A_server_run_ends_at_the_first_arrival_due_after_the_minimum_duration_once_the_count_is_met()
    {
        var settings = Settings(LoadScenario.Server, 100) with { MinDurationNs = 3_000 * Ms, MinQueryCount = 50, TargetLatencyNs = 50 * Ms };
        var record = await ScenarioRunner.RunAsync(settings, new ListedLatencySut([5 * Ms]), 8, new VirtualClock());
        Assert.True(record.FinalQueryScheduledSeconds >= 3.0);
        Assert.InRange(record.QueriesIssued, 200, 500); // about 300 arrivals in 3 s at 100/s
        var again = await ScenarioRunner.RunAsync(settings, new ListedLatencySut([5 * Ms]), 8, new VirtualClock());
        Assert.Equal(record.QueriesIssued, again.QueriesIssued); // seeded arrivals
    }

    [Fact]
    public async Task An_overloaded_server_never_reads_as_a_low_p99()
    {
        // The system never answers: the first 5 requests stay in flight (unfinished), every later arrival is not sent.
        var settings = Settings(LoadScenario.Server, 100) with
        {
            MinQueryCount = 200, TargetLatencyNs = 100 * Ms, MaxInFlight = 5, Drain = TimeSpan.FromMilliseconds(20),
        };
        var record = await ScenarioRunner.RunAsync(settings, new ListedLatencySut([null]), 8, new VirtualClock());
        var summary = new ScenarioSummary("t", settings, record);
        Assert.Equal(5, record.Unfinished);
        Assert.Equal(195, record.Unsent);
        Assert.Equal(200, summary.OverLatencyCount);
        Assert.Equal(0, summary.CompletedPerSecond); // nothing was completed, whatever was scheduled
        Assert.False(summary.PerfConstraintsMet);
        Assert.False(summary.Valid);
        Assert.Contains(summary.Reasons(), r => r.Contains("195 not sent, 0 failed, 5 unfinished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_requests_count_over_the_bound()
    {
        // One failure in 100 at p99 with 500 queries: under the bound by the percentile, but early stopping needs 662.
        var latencies = Enumerable.Range(0, 100).Select(i => i == 42 ? -1L : (long?)(5 * Ms)).ToArray();
        var settings = Settings(LoadScenario.Server, 100) with { MinQueryCount = 500, TargetLatencyNs = 100 * Ms };
        var summary = new ScenarioSummary("t", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut(latencies), 8, new VirtualClock()));
        Assert.Equal(5, summary.Record.Failed["503"]);
        Assert.Equal(5, summary.OverLatencyCount);
        Assert.Equal((495 - 1) / summary.Record.FinalQueryDoneSeconds, summary.CompletedPerSecond); // failures are not completions
        Assert.False(summary.EarlyStoppingMet);
        Assert.Contains(summary.Reasons(), r => r.StartsWith("early stopping: 500 queries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_cut_by_max_queries_names_min_queries_and_early_stopping()
    {
        var settings = Settings(LoadScenario.SingleStream, 100) with { MinQueryCount = 100, MaxQueryCount = 30 };
        var summary = new ScenarioSummary("t", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut([10 * Ms]), 8, new VirtualClock()));
        Assert.Equal(30, summary.Record.QueriesIssued);
        Assert.False(summary.Valid);
        var reasons = summary.Reasons();
        Assert.Contains(reasons, r => r == "min queries: 30 issued < 100 (max query count reached (30))");
        Assert.Contains(reasons, r => r == "early stopping: 30 queries, 64 needed at the 90.0th percentile");
    }

    [Fact]
    public async Task Multi_stream_issues_eight_consecutive_samples_and_takes_the_p99_of_query_latency()
    {
        var settings = Settings(LoadScenario.MultiStream, 10) with { SamplesPerQuery = 8, Percentile = 0.99, MinQueryCount = 700 };
        var sut = new QueueSut(2 * Ms);
        var record = await ScenarioRunner.RunAsync(settings, sut, 20, new VirtualClock());
        Assert.Equal(700 * 8, record.SampleLatencies.Length);
        Assert.All(record.QueryLatencies, l => Assert.Equal(16 * Ms, l)); // eight samples served one after another
        var summary = new ScenarioSummary("t", settings, record);
        Assert.Equal(16 * Ms, summary.TargetPercentileNs);
        Assert.True(summary.Valid, string.Join("; ", summary.Reasons())); // 700 >= 662
    }

    [Fact]
    public async Task Offline_is_one_query_sized_as_LoadGen_sizes_it()
    {
        var settings = ScenarioSettings.Create(LoadScenario.Offline, 20, null, null, TimeSpan.FromSeconds(60), null, false, new EarlyStopping());
        Assert.Equal(1320, settings.SamplesPerQuery); // max(100, 1.1 x 60 s x 20/s)
        Assert.Equal(1, settings.MinQueryCount);
        var record = await ScenarioRunner.RunAsync(settings, new QueueSut(50 * Ms), 64, new VirtualClock());
        var summary = new ScenarioSummary("t", settings, record);
        Assert.Equal(1, record.QueriesIssued);
        Assert.Equal(20.0, summary.OfflineSamplesPerSecond, 9);
        Assert.True(summary.Valid); // 1320 x 50 ms = 66 s >= 60 s
    }

    [Theory]
    [InlineData("server", 100.0, null, 60.0)] // 459 queries at 100/s take 4.6 s: the 60 s floor
    [InlineData("server", 2.0, null, 229.5)] // 459 queries at 2/s
    [InlineData("single-stream", null, 2000.0, 200.0)] // 100 queries of 2 s (more than early stopping's 64)
    [InlineData("multi-stream", null, 100.0, 66.2)] // 662 queries of 100 ms
    public void The_default_min_duration_is_60_s_or_what_early_stopping_needs(string name, double? qps, double? expectedMs, double seconds)
    {
        var scenario = LoadScenarioNames.Parse(name);
        var s = ScenarioSettings.Create(scenario, qps, expectedMs, scenario == LoadScenario.Server ? 100 : null, null, null, false, new EarlyStopping());
        Assert.Equal(seconds, s.MinDurationNs / 1e9, 6);
        Assert.StartsWith("default", s.MinDurationSource, StringComparison.Ordinal);
        var official = ScenarioSettings.Create(scenario, qps, expectedMs, scenario == LoadScenario.Server ? 100 : null, null, null, true, new EarlyStopping());
        Assert.Equal(600, official.MinDurationNs / 1e9, 6);
    }

    [Theory]
    [InlineData(0.0, 100.0, "--target-qps must be positive, got 0")]
    [InlineData(-3.0, 100.0, "--target-qps must be positive, got -3")]
    [InlineData(10.0, 0.0, "--target-latency-ms must be positive, got 0")]
    public void Bad_server_settings_are_user_errors(double qps, double latencyMs, string message)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ScenarioSettings.Create(LoadScenario.Server, qps, null, latencyMs, null, null, false, new EarlyStopping()));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Find_peak_doubles_then_bisects_as_LoadGen()
    {
        // One sample every 10 ms: capacity 100/s; the p99 bound of 200 ms fails somewhere above 80/s.
        var start = Settings(LoadScenario.Server, 10) with { MinQueryCount = 2000, TargetLatencyNs = 200 * Ms };
        var log = new List<string>();
        var peak = await PeakFinder.FindAsync(start, async s =>
            new ScenarioSummary("queue", s, await ScenarioRunner.RunAsync(s, new QueueSut(10 * Ms), 8, new VirtualClock())), log.Add);

        var qps = peak.Probes.Select(p => p.Settings.TargetQps).ToArray();
        Assert.Equal([10, 20, 40, 80, 160], qps[..5]);
        Assert.False(peak.Probes[4].PerfConstraintsMet);
        Assert.Equal(peak.Probes.Count, log.Count);

        // Each later probe is the middle of the bracket the earlier ones left.
        double lower = 80, upper = 160;
        foreach (var p in peak.Probes.Skip(5))
        {
            Assert.Equal(lower + ((upper - lower) / 2), p.Settings.TargetQps);
            (lower, upper) = p.PerfConstraintsMet ? (p.Settings.TargetQps, upper) : (lower, p.Settings.TargetQps);
        }

        Assert.True(PeakFinder.IsFinished(lower, upper));
        Assert.Equal(lower, peak.LoadGenPeak!.Settings.TargetQps);
        Assert.InRange(lower, 80, 100);
        Assert.True(peak.EarlyStoppingPeak!.Settings.TargetQps <= lower);
    }

    private static ScenarioSettings Settings(LoadScenario scenario, double qps) => new()
    {
        Scenario = scenario,
        TargetQps = qps,
        Percentile = scenario == LoadScenario.SingleStream ? 0.9 : 0.99,
        MinDurationNs = 0,
        MinQueryCount = 100,
        SamplesPerQuery = 1,
        MinDurationSource = "test",
    };
}
