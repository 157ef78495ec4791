using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Two or more models through the same scenario, their metrics side by side (FP32 against INT8). With
/// <c>--find-peak</c> the ratio of peaks comes with the interval the searches bracket: each peak is known only to lie
/// between its last passing probe and its first failing one.
/// </summary>
internal static class ScenarioComparison
{
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
                        $"peak ratio {runs[0].Model} / {other.Model}: {a.Low / b.Low:F3}, within [{a.Low / b.High:F3}, {a.High / b.Low:F3}] (the searches' brackets: last pass, first failure)"));
                }
            }
        }

        void Row(string name, Func<ScenarioOutcome, string> cell) =>
            w.WriteLine($"| {name} | " + string.Join(" | ", runs.Select(r => cell(r.Outcome))) + " |");
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
