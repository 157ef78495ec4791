using System.Globalization;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The report's charts as PNG (ScottPlot): AP per model, per-class AP deltas for each compared pair,
/// precision-recall curves at IoU 0.5 and 0.75, and AP against latency. Every chart has a title, axis labels
/// with units and a legend; a model keeps its colour in every chart.
/// </summary>
internal static class ReportCharts
{
    private const int Width = 1100;
    private const int Height = 620;

    // The AP rows of the 12 stats shown in the bar chart (the AR rows would double its width for little).
    private static readonly int[] ApStats = [0, 1, 2, 3, 4, 5];

    /// <summary>Writes the charts into <c>charts/</c> under <paramref name="outDir"/>; returns them in reading order.</summary>
    public static IReadOnlyList<ChartFile> Write(string outDir, IReadOnlyList<LabeledRun> runs, IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs)
    {
        var dir = Charts.Directory(outDir);
        var charts = new List<ChartFile> { ApPerModel(dir, runs) };
        foreach (var (baseline, candidate) in pairs)
        {
            charts.Add(PerClassDelta(dir, baseline, candidate));
        }

        if (runs.Any(r => r.Run.PrecisionRecall.Count > 0))
        {
            charts.Add(PrecisionRecall(dir, runs));
        }

        if (runs.Any(r => r.Run.Latency is not null))
        {
            charts.Add(ApVsLatency(dir, runs, pairs));
        }

        return charts;
    }

    /// <summary>The colour of run <paramref name="index"/>, the same in every chart.</summary>
    internal static ScottPlot.Color ColorOf(int index) => Charts.Color(index);

    private static ChartFile ApPerModel(string dir, IReadOnlyList<LabeledRun> runs)
    {
        const string title = "COCO AP per model (higher is better)";
        var plot = Charts.New(title, "COCO metric (AP@[.50:.95] unless named; s/m/l = small/medium/large objects)", "average precision (0 to 1)");
        var n = runs.Count;
        var groupWidth = n + 1.0;
        for (var r = 0; r < n; r++)
        {
            var color = ColorOf(r);
            var bars = ApStats.Select((s, g) => new Bar
            {
                Position = (g * groupWidth) + r,
                Value = Math.Max(0, runs[r].Run.Stats[s]),
                FillColor = color,
                Label = Md.Stat(runs[r].Run.Stats[s]),
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = Describe(runs[r]);
            plottable.ValueLabelStyle.FontSize = n > 3 ? 9 : 11;
        }

        var names = runs[0].Run.StatNames;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. ApStats.Select((_, g) => (g * groupWidth) + ((n - 1) / 2.0))],
            [.. ApStats.Select(s => names[s])]);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        var top = runs.SelectMany(r => ApStats.Select(s => r.Run.Stats[s])).Max();
        plot.Axes.SetLimitsY(0, Math.Max(0.1, top * 1.18));
        plot.Axes.SetLimitsX(-0.8, (ApStats.Length * groupWidth) - 1.2);

        // Below the axes, so the legend never covers a bar or its value (one row per model).
        return Save(plot, dir, "ap-per-model.png", title, height: Height + 40, legendAt: Edge.Bottom);
    }

    private static ChartFile PerClassDelta(string dir, LabeledRun baseline, LabeledRun candidate)
    {
        var title = $"Per-class AP change: {candidate.Label} minus {baseline.Label}";
        var rows = PerClassTable.Deltas(baseline.Run, candidate.Run).OrderBy(d => d.Delta).ThenBy(d => d.Name, StringComparer.Ordinal).ToArray();
        var plot = Charts.New(title, $"AP@[.50:.95] change (left: {candidate.Label} loses AP)", "COCO class, n = ground-truth boxes (AP before\u2192after)");
        var loss = Charts.Color(3);
        var gain = Charts.Color(2);
        var bars = rows.Select((d, i) => new Bar
        {
            Position = rows.Length - 1 - i,
            Value = d.Delta,
            FillColor = d.Delta < 0 ? loss : gain,
            Size = 0.75,
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. rows.Select((_, i) => (double)(rows.Length - 1 - i))],
            [.. rows.Select(d => string.Create(CultureInfo.InvariantCulture,
                $"{d.Name}{(baseline.Run.GroundTruthBoxes.TryGetValue(d.Id, out var n) ? $" n={n}" : string.Empty)} ({d.BaselineAp:0.00}\u2192{d.CandidateAp:0.00})"))]);
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        var extent = Math.Max(0.05, rows.Length == 0 ? 0 : rows.Max(d => Math.Abs(d.Delta))) * 1.1;
        plot.Axes.SetLimitsX(-extent, extent);
        plot.Axes.SetLimitsY(-0.8, rows.Length - 0.2);
        plot.Add.VerticalLine(0, 1, ScottPlot.Colors.Black);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{candidate.Label} lower AP", FillColor = loss });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{candidate.Label} higher AP", FillColor = gain });
        // Gains sit at the bottom right (sorted ascending), so the bottom left is free for the legend.
        plot.ShowLegend(Alignment.LowerLeft);
        var slug = Slug(candidate.Label);
        return Save(plot, dir, $"per-class-ap-delta-{slug}.png", title, height: Math.Max(Height, 120 + (17 * rows.Length)));
    }

    private static ChartFile PrecisionRecall(string dir, IReadOnlyList<LabeledRun> runs)
    {
        const string title = "Precision-recall (area all, maxDets 100, mean over classes)";
        var plot = Charts.New(title, "recall", "precision (interpolated, mean over classes with ground truth)");
        for (var r = 0; r < runs.Count; r++)
        {
            foreach (var curve in runs[r].Run.PrecisionRecall)
            {
                var xs = curve.Recall.Where((_, i) => !double.IsNaN(curve.Precision[i])).ToArray();
                var ys = curve.Precision.Where(p => !double.IsNaN(p)).ToArray();
                if (xs.Length == 0)
                {
                    continue;
                }

                var line = plot.Add.ScatterLine(xs, ys, ColorOf(r));
                line.LineWidth = 2.5f;
                var at50 = Math.Abs(curve.IouThreshold - 0.5) < 1e-9;
                line.LinePattern = at50 ? LinePattern.Solid : LinePattern.Dashed;
                var ap = at50 ? runs[r].Run.Stats[1] : runs[r].Run.Stats[2];
                line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label} IoU {curve.IouThreshold:0.00} (AP{(at50 ? "50" : "75")} {ap:0.000})");
            }
        }

        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, dir, "precision-recall.png", title);
    }

    private static ChartFile ApVsLatency(string dir, IReadOnlyList<LabeledRun> runs, IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs)
    {
        const string title = "Accuracy vs latency (up and left is better)";
        var batch = runs.Select(r => r.Run.Latency?.Batch).OfType<int>().Distinct().ToArray();
        var plot = Charts.New(
            title,
            $"inference latency per request, p50 (ms; model call only, batch {string.Join("/", batch)}, warm-up excluded)",
            "AP@[.50:.95]");
        var timed = runs.Select((r, i) => (Run: r, Index: i)).Where(x => x.Run.Run.Latency is not null).ToArray();
        foreach (var (baseline, candidate) in pairs.Where(p => p.Baseline.Run.Latency is not null && p.Candidate.Run.Latency is not null))
        {
            var arrow = plot.Add.Arrow(
                new Coordinates(baseline.Run.Latency!.Inference.P50Ms, baseline.Run.AP),
                new Coordinates(candidate.Run.Latency!.Inference.P50Ms, candidate.Run.AP));
            // Translucent and thin, so the p50-p90 whisker under its tail stays visible.
            arrow.ArrowLineColor = ScottPlot.Colors.Gray.WithAlpha(0.55);
            arrow.ArrowFillColor = ScottPlot.Colors.Gray.WithAlpha(0.55);
            arrow.ArrowWidth = 1.5f;
            arrow.ArrowheadWidth = 14;
            arrow.ArrowheadLength = 16;
        }

        var labels = new List<(ScottPlot.Plottables.Text, Coordinates)>();
        foreach (var (run, index) in timed)
        {
            var latency = run.Run.Latency!;
            var point = plot.Add.Scatter(new[] { latency.Inference.P50Ms }, new[] { run.Run.AP }, ColorOf(index));
            point.MarkerSize = 14;
            point.LineWidth = 0;
            point.LegendText = Describe(run);

            // The p90 as a whisker: how far the slow tail reaches.
            var tail = plot.Add.Line(latency.Inference.P50Ms, run.Run.AP, latency.Inference.P90Ms, run.Run.AP);
            tail.Color = ColorOf(index);
            tail.LineWidth = 2;
            tail.LinePattern = LinePattern.Dotted;
            var label = plot.Add.Text(
                string.Create(CultureInfo.InvariantCulture, $"{run.Label}\n{latency.Inference.P50Ms:0.0} ms, AP {run.Run.AP:0.000}"),
                latency.Inference.P50Ms,
                run.Run.AP);
            label.LabelFontSize = 12;
            labels.Add((label, new Coordinates(latency.Inference.P50Ms, run.Run.AP)));
        }

        var maxMs = timed.Max(t => t.Run.Run.Latency!.Inference.P90Ms);
        var maxAp = timed.Max(t => t.Run.Run.AP);
        plot.Axes.SetLimits(0, maxMs * 1.45, 0, Math.Max(0.1, maxAp * 1.3));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "dotted: p50 to p90", LineColor = ScottPlot.Colors.Gray, LinePattern = LinePattern.Dotted, LineWidth = 2 });
        if (pairs.Count > 0)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "arrow: baseline to compared model", LineColor = ScottPlot.Colors.Gray, LineWidth = 2 });
        }

        plot.ShowLegend(Alignment.LowerRight);
        PointLabels.Arrange(plot, Width, Height, labels, markerRadius: 9); // points close in latency and AP get labels that do not overlap
        return Save(plot, dir, "ap-vs-latency.png", title);
    }

    private static string Describe(LabeledRun run) =>
        run.Run.Model.Precision is { } precision && !run.Label.Contains(precision.ToString(), StringComparison.OrdinalIgnoreCase)
            ? $"{run.Label} ({precision})"
            : run.Label;

    private static ChartFile Save(Plot plot, string dir, string fileName, string title, int height = Height, Edge? legendAt = null) =>
        Charts.Save(plot, dir, fileName, title, Width, height, legendAt);

    internal static string Slug(string text) =>
        string.Concat(text.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '-'));
}
