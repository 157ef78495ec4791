using System.Globalization;
using RfcnPerf.Coco.Analysis;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The diagnostics charts (PNG, through the shared <see cref="Charts"/> helpers): TIDE's dAP per error type per model,
/// F1 against the score threshold, the reliability diagram, and for each pair the agreement per class. A model keeps
/// the colour it has in the report's other charts.
/// </summary>
internal static class DiagnosticCharts
{
    private const int Width = 1100;
    private const int Height = 620;

    /// <summary>Classes shown in an agreement chart: those with the most disagreeing detections.</summary>
    internal const int AgreementClasses = 20;

    // Kept, moved, relabelled, lost, gained: from agreeing (green) to disagreeing (red / blue).
    private static readonly ScottPlot.Color[] OutcomeColors =
    [
        ScottPlot.Color.FromHex("#2ca02c"), ScottPlot.Color.FromHex("#bcdf8a"), ScottPlot.Color.FromHex("#ff9f1c"),
        ScottPlot.Color.FromHex("#d62728"), ScottPlot.Color.FromHex("#1f77b4"),
    ];

    /// <summary>Writes the charts into <c>charts/</c> under <paramref name="outDir"/>.</summary>
    /// <param name="outDir">The report folder.</param>
    /// <param name="diagnostics">The runs' diagnostics and the pairs' agreements.</param>
    /// <param name="colorIndex">The colour index of each run (its position among the report's runs).</param>
    public static IReadOnlyList<ChartFile> Write(string outDir, ReportDiagnostics diagnostics, IReadOnlyList<int> colorIndex)
    {
        var dir = Charts.Directory(outDir);
        var charts = new List<ChartFile>
        {
            TideErrors(dir, diagnostics.Runs, colorIndex),
            F1VsThreshold(dir, diagnostics.Runs, colorIndex),
            Reliability(dir, diagnostics.Runs, colorIndex),
        };
        charts.AddRange(diagnostics.Pairs.Select(p => AgreementPerClass(dir, p)));
        return charts;
    }

    /// <summary>The file name of a pair's agreement chart.</summary>
    internal static string AgreementFile(PairAgreement pair) => $"agreement-{ReportCharts.Slug(pair.Candidate)}.png";

    private static ChartFile TideErrors(string dir, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<int> colorIndex)
    {
        const string title = "AP50 lost to each error type (TIDE dAP; longer is worse)";
        var plot = Charts.New(title, "dAP: AP50 points (0-100) an oracle fixing only this type of error would add", "error type");
        string[] types = [.. Tide.ShortNames.Select(DiagnosticsMarkdown.DescribeShort), "FalsePos: all false positives ranked last", "FalseNeg: every missed object found"];
        int n = runs.Count;
        double groupHeight = n + 1.0;
        for (int r = 0; r < n; r++)
        {
            var t = runs[r].Analysis.Tide;
            double[] values = [.. t.Errors.Select(e => e.DeltaAp), t.FalsePositiveDeltaAp, t.FalseNegativeDeltaAp];
            var color = Charts.Color(colorIndex[r]);
            var bars = values.Select((v, g) => new Bar
            {
                // Group g from the top; within it, the first run on top.
                Position = ((types.Length - 1 - g) * groupHeight) + (n - 1 - r),
                Value = v,
                FillColor = color,
                Label = g < t.Errors.Count
                    ? string.Create(CultureInfo.InvariantCulture, $"{v:0.00} ({t.Errors[g].Count} errors)")
                    : v.ToString("0.00", CultureInfo.InvariantCulture),
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
            plottable.LegendText = string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label} (TIDE AP50 {t.Ap:0.00})");
            plottable.ValueLabelStyle.FontSize = 11;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. types.Select((_, g) => ((types.Length - 1 - g) * groupHeight) + ((n - 1) / 2.0))],
            types);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        double max = runs.SelectMany(r => r.Analysis.Tide.Errors.Select(e => e.DeltaAp).Append(r.Analysis.Tide.FalsePositiveDeltaAp).Append(r.Analysis.Tide.FalseNegativeDeltaAp)).Max();
        double min = Math.Min(0, runs.Min(r => r.Analysis.Tide.FalseNegativeDeltaAp));
        plot.Axes.SetLimitsX(min * 1.2, Math.Max(1, max * 1.25));
        plot.Axes.SetLimitsY(-0.8, (types.Length * groupHeight) - 1.2);

        // The six main types and TIDE's two summaries are different measures: a line between them.
        plot.Add.HorizontalLine((2 * groupHeight) - 1, 1, ScottPlot.Colors.Gray, LinePattern.Dashed);
        return Charts.Save(plot, dir, "tide-errors.png", title, Width, Math.Max(Height, 200 + (types.Length * (n + 1) * 15)), Edge.Bottom);
    }

    private static ChartFile F1VsThreshold(string dir, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<int> colorIndex)
    {
        const string title = "F1 against the score threshold (IoU 0.5, all classes pooled)";
        var plot = Charts.New(title, "score threshold (detections scoring at least this are kept)", "F1 (solid), precision (dashed), recall (dotted)");
        for (int r = 0; r < runs.Count; r++)
        {
            var c = runs[r].Analysis.Confidence;
            var color = Charts.Color(colorIndex[r]);
            var xs = c.Thresholds.ToArray();
            var f1 = plot.Add.ScatterLine(xs, c.F1.ToArray(), color);
            f1.LineWidth = 3;
            f1.LegendText = string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label}: best F1 {c.BestF1:0.000} at {c.BestThreshold:0.000}");
            var precision = plot.Add.ScatterLine(xs, c.Precision.ToArray(), color.WithAlpha(0.6));
            precision.LinePattern = LinePattern.Dashed;
            precision.LineWidth = 1.5f;
            var recall = plot.Add.ScatterLine(xs, c.Recall.ToArray(), color.WithAlpha(0.6));
            recall.LinePattern = LinePattern.Dotted;
            recall.LineWidth = 1.5f;
            var best = plot.Add.Scatter(new[] { c.BestThreshold }, new[] { c.BestF1 }, color);
            best.MarkerSize = 12;
            best.LineWidth = 0;
        }

        plot.Axes.SetLimits(0, 1, 0, 1.02);

        // Mid thresholds: every curve sits above 0.35 (recall falls below it only past the middle), so the lower centre is free.
        plot.ShowLegend(Alignment.LowerCenter);
        return Charts.Save(plot, dir, "f1-vs-threshold.png", title, Width, Height);
    }

    private static ChartFile Reliability(string dir, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<int> colorIndex)
    {
        const string title = "Reliability: how often a box of a given score is right (IoU 0.5)";
        var plot = Charts.New(title, "mean score of the boxes in a bin (10 bins of width 0.1)", "share of them that are true positives");
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = ScottPlot.Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfect calibration";
        for (int r = 0; r < runs.Count; r++)
        {
            var cal = runs[r].Analysis.Calibration;
            var bins = cal.Bins.Where(b => b.Count > 0).ToArray();
            var line = plot.Add.Scatter(bins.Select(b => b.MeanScore).ToArray(), bins.Select(b => b.Accuracy).ToArray(), Charts.Color(colorIndex[r]));
            line.LineWidth = 2.5f;
            line.MarkerSize = 9;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label}: ECE {cal.ExpectedCalibrationError:0.000}, MCE {cal.MaximumCalibrationError:0.000}");
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.UpperLeft);
        return Charts.Save(plot, dir, "reliability.png", title, Width, Height);
    }

    private static ChartFile AgreementPerClass(string dir, PairAgreement pair)
    {
        var a = pair.Agreement;
        var title = $"Agreement per class: {pair.Candidate} against {pair.Baseline} (boxes scoring \u2265 {a.ScoreThreshold:0.00})";
        var rows = a.PerClass
            .OrderByDescending(c => c.Counts.Disagreements)
            .ThenBy(c => c.CategoryId)
            .Take(AgreementClasses)
            .Select(c => (Label: string.Create(CultureInfo.InvariantCulture, $"{c.Name} (n={c.Counts.Union})"), c.Counts))
            .Prepend((Label: string.Create(CultureInfo.InvariantCulture, $"ALL CLASSES (n={a.Totals.Union})"), Counts: a.Totals))
            .ToArray();
        var plot = Charts.New(title, "share of the objects either model reports (stacked)", $"class (the {AgreementClasses} with most changed boxes)");
        string[] names = ["kept (same class, IoU \u2265 0.9)", "moved (same class, IoU 0.5-0.9)", "relabelled (other class)", $"lost ({pair.Baseline} only)", $"gained ({pair.Candidate} only)"];
        for (int o = 0; o < names.Length; o++)
        {
            var bars = new List<Bar>();
            for (int i = 0; i < rows.Length; i++)
            {
                var c = rows[i].Counts;
                int[] values = [c.Kept, c.Moved, c.Relabelled, c.Lost, c.Gained];
                double total = Math.Max(1, c.Union);
                double start = values.Take(o).Sum() / total;
                bars.Add(new Bar
                {
                    Position = rows.Length - 1 - i,
                    ValueBase = start,
                    Value = start + (values[o] / total),
                    FillColor = OutcomeColors[o],
                    Size = 0.75,
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
            plottable.LegendText = names[o];
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. rows.Select((_, i) => (double)(rows.Length - 1 - i))],
            [.. rows.Select(r => r.Label)]);
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimits(0, 1, -0.6, rows.Length - 0.4);
        return Charts.Save(plot, dir, AgreementFile(pair), title, Width, Math.Max(Height, 140 + (26 * rows.Length)), Edge.Bottom);
    }
}
