using System.Globalization;
using RfcnPerf.Core.Profiling;
using ScottPlot;

namespace RfcnPerf.Reports;

/// <summary>Chart of a profile: milliseconds per run by operator type, one bar per model, side by side.</summary>
public static class ProfileChart
{
    /// <summary>Writes the chart of <paramref name="profiles"/> (one or two models) to <paramref name="path"/> (PNG).</summary>
    public static void Write(string path, IReadOnlyList<OperatorProfile> profiles, int top = 14)
    {
        // The op types that cost most in any of the models, most expensive first, the rest summed as "other".
        var types = profiles
            .SelectMany(p => p.ByOpType)
            .GroupBy(r => r.OpType)
            .Select(g => (Type: g.Key, Max: g.Max(r => r.MeanMs)))
            .OrderByDescending(t => t.Max)
            .Select(t => t.Type)
            .ToList();
        var shown = types.Take(top).ToList();
        var labels = shown.Concat(types.Count > top ? ["other"] : []).ToList();
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        var title = profiles.Count == 1
            ? $"{profiles[0].Model}: where a Run's time goes (ms per run, batch {profiles[0].Batch}, {profiles[0].Settings})"
            : $"{string.Join(" vs ", profiles.Select(p => p.Model))}: ms per run by operator type (batch {profiles[0].Batch})";
        plot.Title(title, 15);
        plot.XLabel("mean milliseconds per run (ONNX Runtime profiler, kernel time)", 13);
        var n = profiles.Count;
        for (var m = 0; m < n; m++)
        {
            var profile = profiles[m];
            var color = ReportCharts.ColorOf(m);
            var bars = labels.Select((label, i) =>
            {
                var ms = label == "other"
                    ? profile.ByOpType.Where(r => !shown.Contains(r.OpType)).Sum(r => r.MeanMs)
                    : profile.ByOpType.FirstOrDefault(r => r.OpType == label)?.MeanMs ?? 0;
                return new Bar
                {
                    Position = (labels.Count - 1 - i) * (n + 1.0) + (n - 1 - m),
                    Value = ms,
                    FillColor = color,
                    Label = ms > 0 ? ms.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty,
                    Orientation = Orientation.Horizontal,
                };
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
            plottable.LegendText = string.Create(CultureInfo.InvariantCulture, $"{profile.Model}: model call {profile.ModelCall.MeanMs:F1} ms, kernels {profile.KernelSumMs:F1} ms");
            plottable.ValueLabelStyle.FontSize = 10;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. labels.Select((_, i) => (labels.Count - 1 - i) * (n + 1.0) + ((n - 1) / 2.0))],
            [.. labels]);
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        var max = profiles.SelectMany(p => p.ByOpType).Select(r => r.MeanMs).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsX(0, max * 1.18);
        plot.ShowLegend(Edge.Bottom);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1100, 220 + (labels.Count * 22 * n) + 60);
    }
}
