using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The side-by-side summary's ratios come from RfcnPerf.Statistics' unpaired estimate, and the served signature reads
/// back into the pixel boxes accuracy mode scores.
/// </summary>
public sealed class ScenarioComparisonTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public async Task A_model_twice_as_slow_reads_as_a_latency_ratio_near_2_with_an_interval_around_it()
    {
        var settings = StreamSettings(200);
        long[] spread = [9 * Ms, 10 * Ms, 11 * Ms, 12 * Ms, 10 * Ms];
        var fast = new ScenarioSummary("fast", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut([.. spread.Select(l => (long?)l)]), 8, new VirtualClock()));
        var slow = new ScenarioSummary("slow", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut([.. spread.Select(l => (long?)(2 * l))]), 8, new VirtualClock()));

        var line = ScenarioComparison.RatioLine("fast", fast, "slow", slow)!;

        Assert.StartsWith("latency ratio slow / fast (sample latency): 2.000 [", line, StringComparison.Ordinal);
        Assert.Contains("] slower; unpaired: Hodges-Lehmann", line, StringComparison.Ordinal);
        var (latencies, step) = ScenarioComparison.MetricLatencies(fast);
        Assert.Equal(200, latencies.Length);
        Assert.Equal(1, step);
    }

    [Fact]
    public async Task A_saved_summary_is_a_baseline_and_the_overhead_is_the_shift_with_its_interval()
    {
        var settings = StreamSettings(100);
        long[] spread = [9 * Ms, 10 * Ms, 11 * Ms, 12 * Ms, 10 * Ms];
        var inProcess = new ScenarioSummary("in process", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut([.. spread.Select(l => (long?)l)]), 8, new VirtualClock()));
        var served = new ScenarioSummary("served", settings, await ScenarioRunner.RunAsync(settings, new ListedLatencySut([.. spread.Select(l => (long?)(l + (2 * Ms)))]), 8, new VirtualClock()));
        var dir = Directory.CreateTempSubdirectory("rfcnperf-baseline-").FullName;
        try
        {
            var (_, json) = ScenarioReport.Save(inProcess, dir, "base-");
            var baseline = ScenarioBaseline.Read(json);
            Assert.Equal("in process", baseline.Sut);
            Assert.Equal(LoadScenario.SingleStream, baseline.Scenario);
            Assert.Equal(inProcess.Record.SampleLatencies.Select(l => (double)l), baseline.Latencies);

            var line = ScenarioComparison.BaselineLine(baseline, "served", served);
            Assert.StartsWith("against --baseline in process (sample latency): served minus baseline +2.000 ms [", line, StringComparison.Ordinal);
            Assert.Contains("(Hodges-Lehmann shift, 95% Mann-Whitney interval); ratio 1.", line, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir, "bad.json"), "{\"sut\": \"x\"}");
            var ex = Assert.Throws<Core.RfcnPerfException>(() => ScenarioBaseline.Read(Path.Combine(dir, "bad.json")));
            Assert.Contains("no 'scenario' field", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_long_run_is_thinned_to_the_cap_per_side()
    {
        var settings = new ScenarioSettings
        {
            Scenario = LoadScenario.Server,
            TargetQps = 100,
            Percentile = 0.99,
            MinDurationNs = 0,
            MinQueryCount = 1,
            SamplesPerQuery = 1,
            MinDurationSource = "test",
        };
        var n = (2 * ScenarioComparison.MaxLatenciesPerSide) + 1;
        var record = new ScenarioRecord
        {
            SampleLatencies = [.. Enumerable.Range(1, n).Select(i => i * Ms).Append(ScenarioRecord.Unanswered)],
            QueryLatencies = [],
            QueriesIssued = n + 1,
            MaxLatencySeconds = 1,
            FinalQueryScheduledSeconds = 1,
            FinalQueryIssuedSeconds = 1,
            FinalQueryDoneSeconds = 1,
            Failed = new Dictionary<string, int>(),
        };
        var (latencies, step) = ScenarioComparison.MetricLatencies(new ScenarioSummary("t", settings, record));
        Assert.Equal(3, step);
        Assert.True(latencies.Length <= ScenarioComparison.MaxLatenciesPerSide);
        Assert.Equal(1 * Ms, latencies[0]);
        Assert.Equal(4 * Ms, latencies[1]);
    }

    [Fact]
    public async Task Two_peak_searches_read_side_by_side_with_the_ratio_of_peaks_as_a_bracket_range()
    {
        // Two single-server queues, one twice as fast (10 ms against 20 ms a sample): capacities 100/s and 50/s, so
        // the peaks under a 200 ms p99 bound are near 2 to 1, each known to lie between its last pass and first failure.
        var start = new ScenarioSettings
        {
            Scenario = LoadScenario.Server,
            TargetQps = 10,
            TargetLatencyNs = 200 * Ms,
            Percentile = 0.99,
            MinDurationNs = 0,
            MinQueryCount = 2000,
            SamplesPerQuery = 1,
            MinDurationSource = "test",
        };
        async Task<ScenarioOutcome> Search(string name, long serviceNs)
        {
            var peak = await PeakFinder.FindAsync(start, async s => new ScenarioSummary(name, s, await ScenarioRunner.RunAsync(s, new QueueSut(serviceNs), 8, new VirtualClock())), _ => { });
            return new ScenarioOutcome(peak.LoadGenPeak, peak);
        }

        var fast = await Search("fast", 10 * Ms);
        var slow = await Search("slow", 20 * Ms);
        var w = new StringWriter();

        ScenarioComparison.Write([("fast", fast), ("slow", slow)], w);

        var text = w.ToString();
        var (f, sl) = (fast.Peak!.LoadGenPeak!.Settings.TargetQps, slow.Peak!.LoadGenPeak!.Settings.TargetQps);
        Assert.Contains("| | fast | slow |", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| peak QPS (LoadGen: bound only) | {f:F3} | {sl:F3} |"), text, StringComparison.Ordinal);
        Assert.Contains("| peak QPS (bound and early stopping) |", text, StringComparison.Ordinal);
        var ratio = System.Text.RegularExpressions.Regex.Match(text, @"peak ratio fast / slow: ([0-9.]+), within \[([0-9.]+), ([0-9.]+)\] \(a range from the searches' brackets");
        Assert.True(ratio.Success, text);
        double Group(int i) => double.Parse(ratio.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(f / sl, Group(1), 3);
        Assert.InRange(Group(1), 1.5, 2.5);
        Assert.True(Group(2) <= Group(1) && Group(1) <= Group(3), text);

        // The peaks' runs are at different rates: no latency ratio between them.
        Assert.DoesNotContain("latency ratio", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_served_signature_reads_back_into_pixel_boxes()
    {
        Detection[][] detections = [[new Detection(18, 0.9f, 10.5f, 20.25f, 100f, 50f), new Detection(1, 0.5f, 0f, 0f, 640f, 480f)], []];
        var tensors = DetectionTensors.From(detections, [(640, 480), (320, 240)]);

        var back = tensors.Row(0, 640, 480);

        // The boxes go through normalised floats and back: a few float ulps of a 640-pixel coordinate.
        const float Tolerance = 1e-4f;
        Assert.Equal(2, back.Length);
        Assert.Empty(tensors.Row(1, 320, 240));
        for (var i = 0; i < back.Length; i++)
        {
            var (expected, actual) = (detections[0][i], back[i]);
            Assert.Equal(expected.CategoryId, actual.CategoryId);
            Assert.Equal(expected.Score, actual.Score);
            Assert.Equal(expected.X, actual.X, Tolerance);
            Assert.Equal(expected.Y, actual.Y, Tolerance);
            Assert.Equal(expected.Width, actual.Width, Tolerance);
            Assert.Equal(expected.Height, actual.Height, Tolerance);
        }
    }

    private static ScenarioSettings StreamSettings(long queries) => new()
    {
        Scenario = LoadScenario.SingleStream,
        TargetQps = 100,
        Percentile = 0.9,
        MinDurationNs = 0,
        MinQueryCount = queries,
        SamplesPerQuery = 1,
        MinDurationSource = "test",
    };
}
