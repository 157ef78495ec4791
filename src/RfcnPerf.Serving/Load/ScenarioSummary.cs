using System.Globalization;
using System.Text;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// LoadGen's PerformanceSummary (loadgen/results.cc) over one run: percentiles taken as <c>sorted[(size_t)(n * p)]</c>,
/// early stopping, the minimum duration and query count, the server's latency bound, and the verdict with every
/// unmet condition named. Unanswered samples (not sent, failed, unfinished) sort above every bound.
/// </summary>
internal sealed class ScenarioSummary
{
    /// <summary>The percentiles LoadGen's summary lists (results.h latency_percentiles).</summary>
    public static readonly double[] ReportedPercentiles = [0.50, 0.90, 0.95, 0.97, 0.99, 0.999];

    public ScenarioSummary(string sutName, ScenarioSettings settings, ScenarioRecord record)
    {
        SutName = sutName;
        Settings = settings;
        Record = record;
        Sorted = [.. record.SampleLatencies];
        Array.Sort(Sorted);
        SortedQueries = [.. record.QueryLatencies];
        Array.Sort(SortedQueries);
        SampleCount = Sorted.Length;
        var answered = Sorted.Where(l => l != ScenarioRecord.Unanswered).ToArray();
        Answered = answered.Length;

        // LoadGen's mean is an integer division of the summed ns; ours is over answered samples only.
        MeanNs = answered.Length > 0 ? (long)(answered.Select(l => (decimal)l).Sum() / answered.Length) : 0;
        var byQuery = settings.Scenario == LoadScenario.MultiStream;
        TargetPercentileNs = At(byQuery ? SortedQueries : Sorted, settings.Percentile);
        Percentiles = ReportedPercentiles.Select(p => (p, At(Sorted, p))).ToArray();
        QueryPercentiles = ReportedPercentiles.Select(p => (p, At(SortedQueries, p))).ToArray();
        OverLatencyCount = settings.Scenario == LoadScenario.Server ? Sorted.Count(l => l > settings.TargetLatencyNs) : 0;

        MinDurationMet = settings.Scenario switch
        {
            LoadScenario.Offline => record.MaxLatencySeconds >= settings.MinDurationNs / 1e9,
            LoadScenario.Server => record.FinalQueryScheduledSeconds >= settings.MinDurationNs / 1e9,
            _ => record.FinalQueryIssuedSeconds >= settings.MinDurationNs / 1e9,
        };
        MinQueriesMet = record.QueriesIssued >= settings.MinQueryCount && SampleCount >= settings.MinQueryCount * settings.SamplesPerQuery;
        PerfConstraintsMet = settings.Scenario != LoadScenario.Server || TargetPercentileNs <= settings.TargetLatencyNs;
        EarlyStoppingMet = ComputeEarlyStopping();
    }

    public string SutName { get; }

    public ScenarioSettings Settings { get; }

    public ScenarioRecord Record { get; }

    /// <summary>Every sample latency, ascending (unanswered ones last, as <see cref="ScenarioRecord.Unanswered"/>).</summary>
    public long[] Sorted { get; }

    /// <summary>Query latencies, ascending (multi-stream's metric).</summary>
    public long[] SortedQueries { get; }

    public int SampleCount { get; }

    /// <summary>Samples that were answered without an error.</summary>
    public int Answered { get; }

    public long MeanNs { get; }

    /// <summary>The verdict's percentile (sample latency; query latency in multi-stream), LoadGen's <c>sorted[n * p]</c>.</summary>
    public long TargetPercentileNs { get; }

    /// <summary>Sample latency at 50/90/95/97/99/99.9 %, each <c>sorted[(long)(n * p)]</c>.</summary>
    public (double Percentile, long Ns)[] Percentiles { get; }

    /// <summary>Query latency at the same percentiles.</summary>
    public (double Percentile, long Ns)[] QueryPercentiles { get; }

    /// <summary>Server: samples over the latency bound (unanswered ones included).</summary>
    public int OverLatencyCount { get; }

    public bool MinDurationMet { get; }

    public bool MinQueriesMet { get; }

    /// <summary>Server: the target percentile within the bound; always true in the other scenarios.</summary>
    public bool PerfConstraintsMet { get; }

    public bool EarlyStoppingMet { get; }

    public bool Valid => MinDurationMet && MinQueriesMet && PerfConstraintsMet && EarlyStoppingMet;

    /// <summary>LoadGen's early-stopping lines (" * Processed at least 64 queries (200).", ...).</summary>
    public string EarlyStoppingText { get; private set; } = string.Empty;

    /// <summary>Single-stream: the early-stopping estimate at the target percentile (90th); multi-stream: at the 99th; else null.</summary>
    public long? EarlyStoppingEstimateNs { get; private set; }

    /// <summary>Single-stream: the early-stopping estimate of the 99th percentile (LoadGen's early_stopping_latency_ms), when enough queries ran.</summary>
    public long? EarlyStoppingP99EstimateNs { get; private set; }

    /// <summary>The queries early stopping needs (the h + t LoadGen names when it fails, or its minimum when it passes).</summary>
    public long EarlyStoppingNeeded { get; private set; }

    /// <summary>Single/multi-stream: the highest latencies early stopping discards (t - 1).</summary>
    public long? EarlyStoppingDiscarded { get; private set; }

    /// <summary>
    /// Server: samples per second as completed, (n - 1) / the final query's completion, as LoadGen computes it but
    /// with n the answered samples only: a server that answers most requests with 503 did not complete them.
    /// </summary>
    public double CompletedPerSecond => Answered < 2 ? 0 : (Answered - 1) / Record.FinalQueryDoneSeconds;

    /// <summary>Server: samples per second as scheduled, (n - 1) / the final query's scheduled time.</summary>
    public double ScheduledPerSecond => (SampleCount - 1) / Record.FinalQueryScheduledSeconds;

    /// <summary>Offline: answered samples per second over the longest latency.</summary>
    public double OfflineSamplesPerSecond => Answered / Record.MaxLatencySeconds;

    /// <summary>Single-stream: (n - 1) / the final query's issue time.</summary>
    public double QpsWithLoadgenOverhead => (SampleCount - 1) / Record.FinalQueryIssuedSeconds;

    /// <summary>Single-stream: 1 / the mean latency.</summary>
    public double QpsWithoutLoadgenOverhead => 1e9 / MeanNs;

    /// <summary>Every unmet condition, named, with the numbers behind it; empty when the run is VALID.</summary>
    public IReadOnlyList<string> Reasons()
    {
        var reasons = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (!PerfConstraintsMet)
        {
            var latency = TargetPercentileNs == ScenarioRecord.Unanswered ? "unanswered (not sent, failed or unfinished)" : Ms(TargetPercentileNs) + " ms";
            reasons.Add($"performance constraint: {Settings.PercentileName} percentile latency {latency} > target {Ms(Settings.TargetLatencyNs)} ms (reduce --target-qps)");
        }

        if (!MinDurationMet)
        {
            var measured = Settings.Scenario switch
            {
                LoadScenario.Offline => Record.MaxLatencySeconds,
                LoadScenario.Server => Record.FinalQueryScheduledSeconds,
                _ => Record.FinalQueryIssuedSeconds,
            };
            reasons.Add(string.Create(inv, $"min duration: {measured:F2} s < {Settings.MinDurationNs / 1e9:G4} s") + Settings.Scenario switch
            {
                // LoadGen's recommendations (results.cc MinDurationMet), in our options' words.
                LoadScenario.Offline => " (the system beat --target-qps; raise it so the one query is larger)",
                _ => Record.EndedEarly is { } why ? $" ({why})" : string.Empty,
            });
        }

        if (!MinQueriesMet)
        {
            reasons.Add($"min queries: {Record.QueriesIssued} issued < {Settings.MinQueryCount}" + (Record.EndedEarly is { } why ? $" ({why})" : string.Empty));
        }

        if (!EarlyStoppingMet)
        {
            reasons.Add($"early stopping: {Record.QueriesIssued} queries, {EarlyStoppingNeeded} needed at the {Settings.PercentileName} percentile" +
                (Settings.Scenario == LoadScenario.Server ? $" with {OverLatencyCount} over the bound" : string.Empty));
        }

        var lost = Record.Unsent + Record.Failed.Values.Sum() + Record.Unfinished;
        if (lost > 0 && reasons.Count > 0)
        {
            reasons.Add($"counted as over the bound: {Record.Unsent} not sent, {Record.Failed.Values.Sum()} failed, {Record.Unfinished} unfinished");
        }

        return reasons;
    }

    /// <summary>Milliseconds with three decimals, or "unanswered".</summary>
    public static string Ms(long ns) => ns == ScenarioRecord.Unanswered ? "unanswered" : (ns / 1e6).ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>LoadGen's <c>sorted[(size_t)(n * p)]</c>; 0 for no samples.</summary>
    public static long At(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (long)(sorted.Length * p))];

    // PerformanceSummary::EarlyStopping, scenario by scenario; a new finder per call, as LoadGen makes one.
    private bool ComputeEarlyStopping()
    {
        var finder = new EarlyStopping();
        var p = Settings.Percentile;
        var issued = Record.QueriesIssued;
        var text = new StringBuilder();
        switch (Settings.Scenario)
        {
            case LoadScenario.SingleStream:
            case LoadScenario.MultiStream:
            {
                var latencies = Settings.Scenario == LoadScenario.SingleStream ? Sorted : SortedQueries;
                var hMin = finder.MinPassing(1, p);
                EarlyStoppingNeeded = hMin + 1;
                if (issued < hMin + 1)
                {
                    EarlyStoppingText = $" * Only processed {issued} queries.\n * Need to process at least {hMin + 1} queries for early stopping.";
                    return false;
                }

                var t = Discard(finder, issued, p);
                EarlyStoppingEstimateNs = latencies[issued - t];
                EarlyStoppingDiscarded = t - 1;
                text.Append(CultureInfo.InvariantCulture, $" * Processed at least {hMin + 1} queries ({issued}).\n * Would discard {t - 1} highest latency queries.\n * Early stopping {Settings.PercentileName} percentile estimate: {EarlyStoppingEstimateNs}");
                if (Settings.Scenario == LoadScenario.SingleStream)
                {
                    // LoadGen also gives the 99th percentile estimate (multi-stream inferred from single-stream).
                    const double multiStreamPercentile = 0.99;
                    var h99 = finder.MinPassing(1, multiStreamPercentile);
                    if (issued < h99 + 1)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\n * Not enough queries processed for 99.0th percentile\n early stopping estimate (would need to process at\n least {h99 + 1} total queries).");
                    }
                    else
                    {
                        EarlyStoppingP99EstimateNs = latencies[issued - Discard(finder, issued, multiStreamPercentile)];
                        text.Append(CultureInfo.InvariantCulture, $"\n * Early stopping 99.0th percentile estimate: {EarlyStoppingP99EstimateNs}");
                    }
                }

                EarlyStoppingText = text.ToString();
                return true;
            }

            case LoadScenario.Server:
            {
                long t = OverLatencyCount;
                var h = finder.MinPassing(t, p);
                EarlyStoppingNeeded = h + t;
                if (issued >= h + t)
                {
                    EarlyStoppingText = " * Run successful.";
                    return true;
                }

                EarlyStoppingText = $" * Run unsuccessful.\n * Processed {issued} queries.\n * Would need to run at least {h + t - issued} more queries,\n with the run being successful if every additional\n query were under latency.";
                return false;
            }

            default:
                return true;
        }
    }

    // The loop of results.cc: the largest t with issued >= h(t) + t, found by walking t up from 2; t stays 1 when
    // the walk never fails (LoadGen's behaviour, kept).
    private static long Discard(EarlyStopping finder, long issued, double p)
    {
        long t = 1;
        for (long i = 2; i < issued + 1; ++i)
        {
            var h = finder.MinPassing(i, p);
            if (issued < h + i)
            {
                t = i - 1;
                break;
            }
        }

        return t;
    }
}
