using System.Text.Json;
using RfcnPerf.Serving.Load;
using RfcnPerf.Testing;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// Our scenarios against MLPerf LoadGen itself (tests/data/loadgen-oracle/fake-sut-cases.json, written by
/// tools/loadgen-oracle/fake_sut_cases.py): LoadGen drove a fake system under test answering after listed latencies
/// and logged the latency it measured for every sample; replaying those latencies through our engine on a virtual
/// clock must give LoadGen's verdicts, early-stopping text and estimates, query counts and percentiles, to the ns.
/// </summary>
public sealed class LoadGenOracleTests
{
    private static readonly Lazy<JsonDocument> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "data", "loadgen-oracle", "fake-sut-cases.json"))));

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Same_verdict_estimates_and_percentiles_as_LoadGen(string name)
    {
        var c = Cases.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var lg = c.GetProperty("loadgen");
        var measured = lg.GetProperty("measured_ns").EnumerateArray().Select(e => (long?)e.GetInt64()).ToArray();
        var server = c.GetProperty("scenario").GetString() == "server";
        var settings = new ScenarioSettings
        {
            Scenario = server ? LoadScenario.Server : LoadScenario.SingleStream,
            TargetQps = server ? c.GetProperty("target_qps").GetDouble() : 100,
            TargetLatencyNs = server ? c.GetProperty("target_latency_ms").GetInt64() * 1_000_000 : 0,
            Percentile = server ? 0.99 : 0.9,
            MinDurationNs = c.GetProperty("min_duration_ms").GetInt64() * 1_000_000,
            MinQueryCount = c.GetProperty("min_query_count").GetInt64(),
            MaxQueryCount = c.TryGetProperty("max_query_count", out var max) ? max.GetInt64() : 0,
            SamplesPerQuery = 1,
            MinDurationSource = "test",
        };

        var record = await ScenarioRunner.RunAsync(settings, new ListedLatencySut(measured), 64, new VirtualClock());
        var summary = new ScenarioSummary("listed", settings, record);

        Assert.Equal(lg.GetProperty("query_count").GetInt64(), record.QueriesIssued);
        Assert.Equal(lg.GetProperty("result").GetString(), summary.Valid ? "VALID" : "INVALID");
        Assert.Equal(lg.GetProperty("min_duration_met").GetBoolean(), summary.MinDurationMet);
        Assert.Equal(lg.GetProperty("min_queries_met").GetBoolean(), summary.MinQueriesMet);
        Assert.Equal(lg.GetProperty("early_stopping_met").GetBoolean(), summary.EarlyStoppingMet);
        Assert.Equal(lg.GetProperty("early_stopping_text").GetString(), summary.EarlyStoppingText);
        Assert.Equal(lg.GetProperty("min_latency_ns").GetInt64(), summary.Sorted[0]);
        Assert.Equal(lg.GetProperty("max_latency_ns").GetInt64(), summary.Sorted[^1]);
        var percentiles = lg.GetProperty("percentiles_ns");
        foreach (var (p, ns) in summary.Percentiles)
        {
            Assert.Equal(percentiles.GetProperty((p * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)).GetInt64(), ns);
        }

        if (server)
        {
            Assert.Equal(lg.GetProperty("perf_constraints_met").GetBoolean(), summary.PerfConstraintsMet);
            Assert.Equal(lg.GetProperty("overlatency_query_count").GetInt32(), summary.OverLatencyCount);
        }
        else
        {
            Assert.Equal(lg.GetProperty("target_percentile_ns").GetInt64(), summary.TargetPercentileNs);
            Assert.Equal(lg.GetProperty("early_stopping_latency_ss").GetInt64(), summary.EarlyStoppingEstimateNs ?? 0);
            Assert.Equal(lg.GetProperty("early_stopping_latency_ms").GetInt64(), summary.EarlyStoppingP99EstimateNs ?? 0);
        }
    }
}
