using System.Globalization;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>
/// The answers as intervals: every compared configuration's time against its default (and the checks), one row
/// per comparison, the point estimate with its 95% interval as a bar, the θ band around 1 shaded by two lines.
/// </summary>
internal static class AnswersChart
{
    public static ChartFile? Write(string chartDir, IReadOnlyList<ModelAnswers> answers)
    {
        var rows = answers.SelectMany(a =>
                AnswersMarkdown.Checks(a).Select(c => ($"{a.Model}: {c.Name}", c.Result.Ratio))
                    .Concat(a.Int8VsFp32 is { } i ? [($"{a.Model}: INT8 / FP32 default", i.Ratio)] : [])
                    .Concat(a.Candidates.Where(c => c != a.Default(c.Variant)).Select(c => ($"{a.Model} {c.Variant.Precision}: {c.Label}", a.VsDefault(c).Ratio))))
            .Where(r => double.IsFinite(r.Item2.Lower) && double.IsFinite(r.Item2.Upper))
            .ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        const string title = "Paired comparisons: time ratio with its 95% interval (θ band around 1)";
        var plot = Charts.New(title, "time ratio (below 1: faster than its reference)", string.Empty);
        var theta = answers[0].Run.Threshold;
        for (var i = 0; i < rows.Count; i++)
        {
            var (_, r) = rows[i];
            var y = rows.Count - 1 - i;
            var color = Charts.Color((int)r.Verdict);
            var bar = plot.Add.ScatterLine(new double[] { r.Lower, r.Upper }, new double[] { y, y }, color);
            bar.LineWidth = 4;
            var point = plot.Add.ScatterPoints(new double[] { r.Ratio }, new double[] { y }, color);
            point.MarkerSize = 9;
        }

        foreach (var edge in new[] { 1 - theta, 1.0, 1 + theta })
        {
            var line = plot.Add.ScatterLine(new double[] { edge, edge }, new double[] { -0.5, rows.Count - 0.5 }, edge == 1.0 ? Colors.Black : Colors.Gray);
            line.LinePattern = edge == 1.0 ? LinePattern.Solid : LinePattern.Dashed;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i))],
            [.. rows.Select(r => r.Item1)]);
        var max = rows.Max(r => r.Item2.Upper);
        var min = rows.Min(r => r.Item2.Lower);
        plot.Axes.SetLimits(Math.Min(min, 1 - theta) * 0.95, Math.Max(max, 1 + theta) * 1.05, -0.7, rows.Count - 0.3);
        var height = Math.Max(400, 60 + (26 * rows.Count));
        return Charts.Save(plot, chartDir, "comparisons.png", string.Create(CultureInfo.InvariantCulture, $"{title}: {rows.Count} comparisons"), 1200, height);
    }
}
