using System.Globalization;
using ScottPlot;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// The comparison's charts (ScottPlot PNG): best latency, best throughput and the INT8 speed-up per model, one bar
/// per run in each group, each run in its own colour in every chart, the value on each bar.
/// </summary>
internal static class BenchComparisonCharts
{
    private const int Height = 620;

    public static IReadOnlyList<ChartFile> Write(string outDir, IReadOnlyList<LabeledBench> runs)
    {
        var dir = Charts.Directory(outDir);
        var charts = new List<ChartFile>();
        var latency = BenchComparison.Variants(runs, s => s.BestLatency);
        if (latency.Count > 0)
        {
            charts.Add(Grouped(dir, runs, "compare-latency.png", "Best real-time latency per model (p50, batch 1; lower is better)", "model and precision", "median latency per request (ms)",
                latency.Select(v => ($"{v.Model} {v.Precision}", runs.Select(r => BenchComparison.Find(r.Summary.BestLatency, v)?.P50Ms).ToArray())).ToArray(), null));
        }

        var throughput = BenchComparison.Variants(runs, s => s.BestThroughput);
        if (throughput.Count > 0)
        {
            charts.Add(Grouped(dir, runs, "compare-throughput.png", "Best throughput per model (higher is better)", "model and precision", "images per second",
                throughput.Select(v => ($"{v.Model} {v.Precision}", runs.Select(r => BenchComparison.Find(r.Summary.BestThroughput, v)?.ImagesPerSecond).ToArray())).ToArray(), null));
        }

        var models = runs.SelectMany(r => r.Summary.Int8SpeedUps.Select(s => s.Model)).Distinct().ToArray();
        if (models.Length > 0)
        {
            charts.Add(Grouped(dir, runs, "compare-int8-speedup.png", "FP32 vs INT8 per machine (geometric mean speed-up; above 1x INT8 is faster)", "model (FP32 file and its INT8 counterpart)", "INT8 speed-up (FP32 time / INT8 time)",
                models.Select(m => (m, runs.Select(r => r.Summary.Int8SpeedUps.FirstOrDefault(s => s.Model == m)?.GeometricMean).ToArray())).ToArray(), 1.0));
        }

        return charts;
    }

    private static ChartFile Grouped(string dir, IReadOnlyList<LabeledBench> runs, string fileName, string title, string xLabel, string yLabel, (string Group, double?[] Values)[] groups, double? reference)
    {
        var plot = Charts.New(title, xLabel, yLabel);
        var n = runs.Count;
        var groupWidth = n + 1.0;
        var bars = new List<Bar>();
        for (var g = 0; g < groups.Length; g++)
        {
            for (var r = 0; r < n; r++)
            {
                if (groups[g].Values[r] is { } v && double.IsFinite(v))
                {
                    bars.Add(new Bar
                    {
                        Position = (g * groupWidth) + r,
                        Value = v,
                        FillColor = Charts.Color(r),
                        Label = v >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString(reference is null ? "F1" : "F2", CultureInfo.InvariantCulture) + (reference is null ? string.Empty : "x"),
                    });
                }
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 12;
        if (reference is { } line)
        {
            var h = plot.Add.HorizontalLine(line);
            h.LinePattern = LinePattern.Dashed;
            h.Color = Colors.Gray;
            h.LegendText = "1x: INT8 as fast as FP32";
        }

        for (var r = 0; r < n; r++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = runs[r].Label, FillColor = Charts.Color(r) });
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. groups.Select((_, g) => (g * groupWidth) + ((n - 1) / 2.0))],
            [.. groups.Select(g => g.Group)]);
        var max = bars.Count > 0 ? bars.Max(b => b.Value) : 1;
        plot.Axes.SetLimits(-1, (groups.Length * groupWidth) - 1, 0, Math.Max(max, reference ?? 0) * 1.3);
        return Charts.Save(plot, dir, fileName, title, Math.Max(900, 110 * groups.Length * n), Height);
    }
}
