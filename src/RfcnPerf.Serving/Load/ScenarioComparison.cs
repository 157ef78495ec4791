using System.Globalization;
using RfcnPerf.Statistics;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Two or more models through the same scenario, their metrics side by side (FP32 against INT8), and each later
/// model's ratio to the first: latency (single-stream, multi-stream, server) as RfcnPerf.Statistics' unpaired ratio
/// (Hodges-Lehmann with the Mann-Whitney interval) over the two runs' latencies; offline's throughput as a plain ratio
/// (one query per run: nothing to draw an interval from). With <c>--find-peak</c> the ratio of peaks is a range the
/// searches bracket, not a statistical interval: each peak is known only to lie between its last passing probe and
/// its first failing one.
/// </summary>
internal static class ScenarioComparison
{
    /// <summary>
    /// Most latencies per side the unpaired interval takes: it sorts all n x m pairwise differences (2000 x 2000 is
    /// 32 MB); a longer run is thinned to every k-th latency in issue order.
    /// </summary>
    public const int MaxLatenciesPerSide = 2000;

    /// <summary>Writes the side-by-side table; a single model writes nothing.</summary>
    public static void Write(IReadOnlyList<(string Model, ScenarioOutcome Outcome)> runs, TextWriter w)
    {
        if (runs.Count < 2)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        w.WriteLine();
        w.WriteLine("| | " + string.Join(" | ", runs.Select(r => r.Model)) + " |");
        w.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", runs.Count)));
        Row("result", o => o.Summary is { } s ? (s.Valid ? "VALID" : "INVALID") : "-");
        Row("metric", o => o.Summary is { } s ? ScenarioReport.MetricLine(s) : "-");
        Row("early-stopping estimate (ms)", o => o.Summary?.EarlyStoppingEstimateNs is { } e ? ScenarioSummary.Ms(e) : "-");
        foreach (var p in new[] { 0.5, 0.9, 0.99 })
        {
            Row(string.Create(inv, $"p{p * 100:G3} sorted[n*p] (ms)"), o => o.Summary is { } s ? ScenarioSummary.Ms(ScenarioSummary.At(s.Sorted, p)) : "-");
        }

        if (runs.All(r => r.Outcome.Peak is not null))
        {
            Row("peak QPS (LoadGen: bound only)", o => o.Peak!.LoadGenPeak?.Settings.TargetQps.ToString("F3", inv) ?? "none");
            Row("peak QPS (bound and early stopping)", o => o.Peak!.EarlyStoppingPeak?.Settings.TargetQps.ToString("F3", inv) ?? "none");
            var first = Bracket(runs[0].Outcome.Peak!);
            foreach (var other in runs.Skip(1))
            {
                var second = Bracket(other.Outcome.Peak!);
                if (first is { } a && second is { } b)
                {
                    w.WriteLine(string.Create(inv,
                        $"peak ratio {runs[0].Model} / {other.Model}: {a.Low / b.Low:F3}, within [{a.Low / b.High:F3}, {a.High / b.Low:F3}] (a range from the searches' brackets, last pass to first failure, not a statistical interval)"));
                }
            }
        }

        foreach (var other in runs.Skip(1))
        {
            // With --find-peak each summary is at its own peak rate: their latencies are not comparable.
            if (runs[0].Outcome.Peak is null && runs[0].Outcome.Summary is { } a && other.Outcome.Summary is { } b && RatioLine(runs[0].Model, a, other.Model, b) is { } line)
            {
                w.WriteLine(line);
            }
        }

        void Row(string name, Func<ScenarioOutcome, string> cell) =>
            w.WriteLine($"| {name} | " + string.Join(" | ", runs.Select(r => cell(r.Outcome))) + " |");
    }

    /// <summary>
    /// <paramref name="nameB"/>'s metric over <paramref name="nameA"/>'s with its interval where the samples allow one,
    /// in one line; null when a side has nothing to compare.
    /// </summary>
    public static string? RatioLine(string nameA, ScenarioSummary a, string nameB, ScenarioSummary b)
    {
        var inv = CultureInfo.InvariantCulture;
        if (a.Settings.Scenario == LoadScenario.Offline)
        {
            return a.OfflineSamplesPerSecond > 0 && b.OfflineSamplesPerSecond > 0
                ? string.Create(inv, $"throughput ratio {nameB} / {nameA} (samples/s): {b.OfflineSamplesPerSecond / a.OfflineSamplesPerSecond:F3}; offline is one query per run, so one run gives no interval (repeat the runs for one)")
                : null;
        }

        var (la, stepA) = MetricLatencies(a);
        var (lb, stepB) = MetricLatencies(b);
        if (la.Length == 0 || lb.Length == 0)
        {
            return null;
        }

        var ratio = UnpairedRatio.Estimate(la, lb);
        var what = a.Settings.Scenario == LoadScenario.MultiStream ? "query latency" : "sample latency";
        var unanswered = a.SampleCount - a.Answered + b.SampleCount - b.Answered;
        return $"latency ratio {nameB} / {nameA} ({what}): {ratio}; {ratio.Method}" +
            (stepA > 1 || stepB > 1 ? $"; thinned to every {stepA}th and {stepB}th, at most {MaxLatenciesPerSide} per side" : string.Empty) +
            (unanswered > 0 ? $"; answered samples only ({a.SampleCount - a.Answered} and {b.SampleCount - b.Answered} unanswered)" : string.Empty);
    }

    /// <summary>
    /// The latencies (ns) the scenario's metric is taken over, answered ones only, in issue order: multi-stream's per
    /// query, single-stream's and server's per sample; thinned to every <c>Step</c>-th so at most
    /// <see cref="MaxLatenciesPerSide"/> remain.
    /// </summary>
    public static (double[] Latencies, int Step) MetricLatencies(ScenarioSummary s)
    {
        var source = s.Settings.Scenario == LoadScenario.MultiStream ? s.Record.QueryLatencies : s.Record.SampleLatencies;
        return Thin([.. source.Where(l => l != ScenarioRecord.Unanswered && l > 0).Select(l => (double)l)]);
    }

    /// <summary>
    /// This run's latency against an earlier run's (<c>--baseline</c>): the difference (the serving overhead when
    /// the baseline ran the model in process and this run went through the server) as the Hodges-Lehmann shift with
    /// its 95% Mann-Whitney interval, and the ratio with its interval and verdict, both from RfcnPerf.Statistics.
    /// </summary>
    public static string BaselineLine(ScenarioBaseline baseline, string name, ScenarioSummary s)
    {
        var (la, stepA) = Thin(baseline.Latencies);
        var (lb, stepB) = MetricLatencies(s);
        if (lb.Length == 0)
        {
            return $"against --baseline {baseline.Sut}: this run has no answered latency to compare";
        }

        var (shift, lower, upper) = UnpairedRatio.Difference(la, lb);
        var ratio = UnpairedRatio.Estimate(la, lb);
        var what = s.Settings.Scenario == LoadScenario.MultiStream ? "query latency" : "sample latency";
        return string.Create(CultureInfo.InvariantCulture,
            $"against --baseline {baseline.Sut} ({what}): {name} minus baseline {shift / 1e6:+0.000;-0.000} ms [{lower / 1e6:+0.000;-0.000}, {upper / 1e6:+0.000;-0.000}] (Hodges-Lehmann shift, 95% Mann-Whitney interval); ratio {ratio}; {ratio.Method}") +
            (stepA > 1 || stepB > 1 ? $"; thinned to every {stepA}th and {stepB}th, at most {MaxLatenciesPerSide} per side" : string.Empty) +
            (baseline.Unanswered + s.SampleCount - s.Answered > 0 ? $"; answered samples only ({baseline.Unanswered} and {s.SampleCount - s.Answered} unanswered)" : string.Empty);
    }

    /// <summary>Every <c>Step</c>-th of <paramref name="answered"/> so at most <see cref="MaxLatenciesPerSide"/> remain.</summary>
    private static (double[] Latencies, int Step) Thin(double[] answered)
    {
        var step = Math.Max(1, (answered.Length + MaxLatenciesPerSide - 1) / MaxLatenciesPerSide);
        return (step == 1 ? answered : [.. answered.Where((_, i) => i % step == 0)], step);
    }

    /// <summary>The peak's bracket: LoadGen's peak and the lowest probe above it that failed the bound.</summary>
    private static (double Low, double High)? Bracket(PeakResult peak)
    {
        if (peak.LoadGenPeak is not { } low)
        {
            return null;
        }

        var lowQps = low.Settings.TargetQps;
        var high = peak.Probes.Where(p => !p.PerfConstraintsMet && p.Settings.TargetQps > lowQps).Select(p => p.Settings.TargetQps).DefaultIfEmpty(double.NaN).Min();
        return (lowQps, high);
    }
}
