using System.Globalization;
using ScottPlot;

namespace RfcnPerf.Reporting;

/// <summary>Chart of a profile: milliseconds per run by operator type, one bar per model, side by side.</summary>
public static class ProfileChart
{
    /// <summary>
    /// Writes the chart of <paramref name="profiles"/> (one or two models) to <paramref name="path"/> (PNG).
    /// <paramref name="canonical"/> names the operator a kernel computes whatever its precision or fusion.
    /// </summary>
    public static void Write(string path, IReadOnlyList<ProfileChartSeries> profiles, Func<string, string> canonical, int top = 14)
    {
        // Two models side by side are compared per operator whatever its precision or fusion (Conv, FusedConv and
        // QLinearConv are one bar group); one model shows ORT's kernels as they are.
        var key = profiles.Count > 1 ? canonical : t => t;
        double Ms(ProfileChartSeries p, string label) => p.ByOpType.Where(r => key(r.Key) == label).Sum(r => r.Value);

        // The operators that cost most in any of the models, most expensive first, the rest summed as "other".
        var types = profiles
            .SelectMany(p => p.ByOpType.Select(r => key(r.Key)).Distinct().Select(k => (Key: k, Ms: Ms(p, k))))
            .GroupBy(r => r.Key)
            .Select(g => (Type: g.Key, Max: g.Max(r => r.Ms)))
            .OrderByDescending(t => t.Max)
            .Select(t => t.Type)
            .ToList();
        var shown = types.Take(top).ToList();
        var labels = shown.Concat(types.Count > top ? ["other"] : []).ToList();
        ChartFonts.Register();
        var title = profiles.Count == 1
            ? $"{profiles[0].Model}: where a Run's time goes (ms per run, batch {profiles[0].Batch}, {profiles[0].Settings})"
            : $"{string.Join(" vs ", profiles.Select(p => p.Model))}: ms per run by operator, any precision or fusion (batch {profiles[0].Batch})";
        var plot = Charts.New(title, "mean milliseconds per run (ONNX Runtime profiler, kernel time)", string.Empty);
        plot.Title(title, 15);
        var n = profiles.Count;
        for (var m = 0; m < n; m++)
        {
            var profile = profiles[m];
            var color = Charts.Color(m);
            var bars = labels.Select((label, i) =>
            {
                var ms = label == "other"
                    ? profile.ByOpType.Where(r => !shown.Contains(key(r.Key))).Sum(r => r.Value)
                    : Ms(profile, label);
                return new Bar
                {
                    Position = (labels.Count - 1 - i) * (n + 1.0) + (n - 1 - m),
                    Value = ms,
                    FillColor = color,
                    Label = ms > 0 ? Md.Ms(ms) : string.Empty,
                    Orientation = Orientation.Horizontal,
                };
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
            plottable.LegendText = string.Create(CultureInfo.InvariantCulture, $"{profile.Model}: model call {profile.ModelCallMs:F1} ms, kernels {profile.KernelSumMs:F1} ms");
            plottable.ValueLabelStyle.FontSize = 10;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. labels.Select((_, i) => (labels.Count - 1 - i) * (n + 1.0) + ((n - 1) / 2.0))],
            [.. labels]);
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        var max = profiles.SelectMany(p => labels.Select(l => Ms(p, l))).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsX(0, max * 1.18);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Charts.Save(plot, Path.GetDirectoryName(full)!, Path.GetFileName(full), title, 1100, 220 + (labels.Count * 22 * n) + 60, Edge.Bottom);
    }
}
