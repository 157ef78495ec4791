using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// A scenario's summary in the layout of LoadGen's mlperf_log_summary.txt (results.cc LogSummary,
/// test_settings_internal.cc LogSummary), with our additions marked, and a JSON of the same numbers.
/// </summary>
internal static class ScenarioReport
{
    private const string Rule = "================================================";

    /// <summary>Writes the summary text.</summary>
    public static void Write(ScenarioSummary s, TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        var settings = s.Settings;
        var scenario = settings.Scenario;
        w.WriteLine(Rule);
        w.WriteLine("MLPerf Results Summary");
        w.WriteLine(Rule);
        w.WriteLine($"SUT name : {s.SutName}");
        w.WriteLine($"Scenario : {LoadScenarioNames.LoadGenName(scenario)}");
        w.WriteLine("Mode     : PerformanceOnly");
        w.WriteLine(MetricLine(s));
        w.WriteLine($"Result is : {(s.Valid ? "VALID" : "INVALID")}");
        if (scenario == LoadScenario.Server)
        {
            w.WriteLine($"  Performance constraints satisfied : {YesNo(s.PerfConstraintsMet)}");
        }

        w.WriteLine($"  Min duration satisfied : {YesNo(s.MinDurationMet)}");
        w.WriteLine($"  Min queries satisfied : {YesNo(s.MinQueriesMet)}");
        w.WriteLine($"  Early stopping satisfied: {YesNo(s.EarlyStoppingMet)}");
        if (!s.Valid)
        {
            // LoadGen prints advice; we name each unmet condition with its numbers.
            w.WriteLine("Unmet conditions:");
            foreach (var reason in s.Reasons())
            {
                w.WriteLine($" * {reason}");
            }
        }

        if (scenario != LoadScenario.Offline)
        {
            w.WriteLine("Early Stopping Result:");
            w.WriteLine(s.EarlyStoppingText);
        }

        w.WriteLine();
        w.WriteLine(Rule);
        w.WriteLine("Additional Stats");
        w.WriteLine(Rule);
        switch (scenario)
        {
            case LoadScenario.SingleStream:
                w.WriteLine(string.Create(inv, $"QPS w/ loadgen overhead         : {s.QpsWithLoadgenOverhead:F2}"));
                w.WriteLine(string.Create(inv, $"QPS w/o loadgen overhead        : {s.QpsWithoutLoadgenOverhead:F2}"));
                w.WriteLine();
                break;
            case LoadScenario.Server:
                w.WriteLine(string.Create(inv, $"Scheduled samples per second : {s.ScheduledPerSecond:F2}"));
                break;
            case LoadScenario.MultiStream:
                w.WriteLine("Per-query latency:  ");
                w.WriteLine($"Min latency (ns)                : {Ns(s.SortedQueries[0])}");
                w.WriteLine($"Max latency (ns)                : {Ns(s.SortedQueries[^1])}");
                foreach (var (p, ns) in s.QueryPercentiles)
                {
                    w.WriteLine(string.Create(inv, $"{p * 100:F2} percentile latency (ns)   : {Ns(ns)}"));
                }

                w.WriteLine();
                break;
        }

        w.WriteLine($"Min latency (ns)                : {Ns(s.Sorted[0])}");
        w.WriteLine($"Max latency (ns)                : {Ns(s.Sorted[^1])}");
        w.WriteLine($"Mean latency (ns)               : {s.MeanNs} (answered samples)");
        foreach (var (p, ns) in s.Percentiles)
        {
            w.WriteLine(string.Create(inv, $"{p * 100:F2} percentile latency (ns)   : {Ns(ns)}"));
        }

        w.WriteLine($"Percentiles are LoadGen's sorted[(size_t)(n * p)] over {s.SampleCount} samples.");
        var r = s.Record;
        w.WriteLine($"Not sent : {r.Unsent}   Failed : {r.Failed.Values.Sum()}{Statuses(r)}   Unfinished : {r.Unfinished}   (each counted as over the bound)");
        w.WriteLine();
        w.WriteLine(Rule);
        w.WriteLine("Test Parameters Used");
        w.WriteLine(Rule);
        w.WriteLine($"samples_per_query : {settings.SamplesPerQuery}");
        w.WriteLine(string.Create(inv, $"target_qps : {settings.TargetQps:G6}"));
        w.WriteLine($"target_latency (ns): {settings.TargetLatencyNs}");
        w.WriteLine($"max_async_queries : {(scenario == LoadScenario.Server ? settings.MaxInFlight : 1)}");
        w.WriteLine($"min_duration (ms): {settings.MinDurationNs / 1_000_000}   ({settings.MinDurationSource})");
        w.WriteLine($"max_duration (ms): {settings.MaxDurationNs / 1_000_000}");
        w.WriteLine($"min_query_count : {settings.MinQueryCount}");
        w.WriteLine($"max_query_count : {settings.MaxQueryCount}");
        w.WriteLine($"qsl_rng_seed : {settings.LibrarySeed}");
        w.WriteLine($"sample_index_rng_seed : {settings.SampleSeed}");
        w.WriteLine($"schedule_rng_seed : {settings.ScheduleSeed}");
        w.WriteLine($"performance_sample_count : {settings.PerformanceSampleCount}");
        w.WriteLine(string.Create(inv, $"target_latency_percentile : {settings.Percentile:G6}"));
        if (r.EndedEarly is { } why)
        {
            w.WriteLine($"ended early : {why}");
        }
    }

    /// <summary>The metric line LoadGen puts under the scenario.</summary>
    public static string MetricLine(ScenarioSummary s) => s.Settings.Scenario switch
    {
        LoadScenario.SingleStream or LoadScenario.MultiStream => $"{s.Settings.PercentileName} percentile latency (ns) : {Ns(s.TargetPercentileNs)}",
        LoadScenario.Server => string.Create(CultureInfo.InvariantCulture, $"Completed samples per second    : {s.CompletedPerSecond:F2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"Samples per second: {s.OfflineSamplesPerSecond:G6}"),
    };

    /// <summary>The same numbers as JSON.</summary>
    public static JsonObject Json(ScenarioSummary s)
    {
        var settings = s.Settings;
        var r = s.Record;
        return new JsonObject
        {
            ["sut"] = s.SutName,
            ["scenario"] = LoadScenarioNames.Name(settings.Scenario),
            ["result"] = s.Valid ? "VALID" : "INVALID",
            ["unmet"] = new JsonArray([.. s.Reasons().Select(x => (JsonNode?)x)]),
            ["perf_constraints_met"] = s.PerfConstraintsMet,
            ["min_duration_met"] = s.MinDurationMet,
            ["min_queries_met"] = s.MinQueriesMet,
            ["early_stopping_met"] = s.EarlyStoppingMet,
            ["early_stopping_text"] = s.EarlyStoppingText,
            ["early_stopping_estimate_ns"] = s.EarlyStoppingEstimateNs,
            ["early_stopping_p99_estimate_ns"] = s.EarlyStoppingP99EstimateNs,
            ["early_stopping_needed_queries"] = s.EarlyStoppingNeeded,
            ["query_count"] = r.QueriesIssued,
            ["sample_count"] = s.SampleCount,
            ["answered"] = s.Answered,
            ["not_sent"] = r.Unsent,
            ["failed"] = new JsonObject(r.Failed.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["unfinished"] = r.Unfinished,
            ["over_latency_count"] = s.OverLatencyCount,
            ["target_percentile"] = settings.Percentile,
            ["target_percentile_latency_ns"] = Nullable(s.TargetPercentileNs),
            ["percentiles_ns"] = new JsonObject(s.Percentiles.Select(p => KeyValuePair.Create(p.Percentile.ToString("0.0##", CultureInfo.InvariantCulture), (JsonNode?)Nullable(p.Ns)))),
            ["min_latency_ns"] = Nullable(s.Sorted[0]),
            ["max_latency_ns"] = Nullable(s.Sorted[^1]),
            ["mean_latency_ns"] = s.MeanNs,
            ["completed_samples_per_second"] = settings.Scenario == LoadScenario.Server ? s.CompletedPerSecond : null,
            ["scheduled_samples_per_second"] = settings.Scenario == LoadScenario.Server ? s.ScheduledPerSecond : null,
            ["samples_per_second"] = settings.Scenario == LoadScenario.Offline ? s.OfflineSamplesPerSecond : null,
            ["final_query_issued_seconds"] = r.FinalQueryIssuedSeconds,
            ["final_query_done_seconds"] = r.FinalQueryDoneSeconds,
            ["ended_early"] = r.EndedEarly,

            // The raw latencies (issue order, null: unanswered), so a later run can be compared with this one (--baseline).
            ["sample_latencies_ns"] = new JsonArray([.. r.SampleLatencies.Select(l => (JsonNode?)Nullable(l))]),
            ["query_latencies_ns"] = new JsonArray([.. r.QueryLatencies.Select(l => (JsonNode?)Nullable(l))]),
            ["settings"] = new JsonObject
            {
                ["samples_per_query"] = settings.SamplesPerQuery,
                ["target_qps"] = settings.TargetQps,
                ["target_latency_ns"] = settings.TargetLatencyNs,
                ["min_duration_ms"] = settings.MinDurationNs / 1_000_000,
                ["min_duration_source"] = settings.MinDurationSource,
                ["max_duration_ms"] = settings.MaxDurationNs / 1_000_000,
                ["min_query_count"] = settings.MinQueryCount,
                ["max_query_count"] = settings.MaxQueryCount,
                ["max_in_flight"] = settings.MaxInFlight,
                ["performance_sample_count"] = settings.PerformanceSampleCount,
                ["qsl_rng_seed"] = settings.LibrarySeed,
                ["sample_index_rng_seed"] = settings.SampleSeed,
                ["schedule_rng_seed"] = settings.ScheduleSeed,
            },
        };
    }

    /// <summary>Writes the summary text and JSON into <paramref name="dir"/> as <c>{prefix}summary.txt</c> / <c>.json</c>.</summary>
    public static (string Text, string Json) Save(ScenarioSummary s, string dir, string prefix)
    {
        Directory.CreateDirectory(dir);
        var text = Path.Combine(dir, prefix + "summary.txt");
        using (var w = new StreamWriter(text))
        {
            Write(s, w);
        }

        var json = Path.Combine(dir, prefix + "summary.json");
        File.WriteAllText(json, Json(s).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return (text, json);
    }

    private static long? Nullable(long ns) => ns == ScenarioRecord.Unanswered ? null : ns;

    private static string Ns(long ns) => ns == ScenarioRecord.Unanswered ? "unanswered" : ns.ToString(CultureInfo.InvariantCulture);

    private static string YesNo(bool met) => met ? "Yes" : "NO";

    private static string Statuses(ScenarioRecord r) =>
        r.Failed.Count == 0 ? string.Empty : " (" + string.Join(", ", r.Failed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} x{kv.Value}")) + ")";
}
