using System.Globalization;
using System.Text;
using System.Text.Json;
using RfcnPerf.Reporting;

namespace RfcnPerf.Serving.Load;

/// <summary>One offered rate of an open-loop sweep; the machine's load average and the server's RSS after it, when known.</summary>
internal sealed record OpenLoopPoint(string Label, double OfferedRate, double AchievedRate, double P50Ms, double P99Ms, int Sent, int Succeeded, int Errors,
    string? LoadAverage = null, long? ServerRssBytes = null);

/// <summary>
/// <c>rfcnperf load --rates ... --label L --out-dir D</c>: each sweep is kept as <c>open-loop-L.json</c> (L made
/// file-safe; a sweep with the same label replaces it); the table and the p99-vs-offered-rate chart (log scale:
/// latency grows by orders of magnitude past saturation) cover every sweep in the folder, so a run with
/// <c>--max-batch 1</c> and one with <c>--max-batch 8</c> against a restarted server land in one chart.
/// </summary>
internal static class OpenLoopReport
{
    /// <summary>Keeps this sweep's points under <paramref name="label"/> and redraws the folder's report; says where on <paramref name="output"/>.</summary>
    public static void Add(string dir, string label, IEnumerable<LoadResult> results, TextWriter output)
    {
        Directory.CreateDirectory(dir);
        var points = results.Select(r => new OpenLoopPoint(label, r.OfferedRate ?? double.NaN, r.RequestsPerSecond, r.P50Ms, r.P99Ms, r.Sent, r.Succeeded, r.ErrorsByStatus.Values.Sum(),
            r.LoadAverage, r.ServerMemoryAfter?.ResidentBytes)).ToArray();
        File.WriteAllText(Path.Combine(dir, $"open-loop-{FileName(label)}.json"), JsonSerializer.Serialize(points, LoadJson.Options));
        Write(dir, output);
    }

    /// <summary>The label as a file name part: letters, digits, '.', '_' and '-' kept, anything else '-'.</summary>
    internal static string FileName(string label) =>
        string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-'));

    /// <summary>Writes open-loop.md and its chart from every sweep kept in <paramref name="dir"/>.</summary>
    public static void Write(string dir, TextWriter output)
    {
        var sweeps = Directory.GetFiles(dir, "open-loop-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<OpenLoopPoint[]>(File.ReadAllText(f), LoadJson.Options)!)
            .Where(s => s.Length > 0)
            .ToArray();
        var plot = Charts.New("Open loop: p99 latency against offered rate", "offered rate (requests/s, Poisson arrivals)", "p99 latency (ms, from the intended send time, log scale)");
        var drawn = sweeps.SelectMany(s => s).Where(p => double.IsFinite(p.P99Ms) && p.P99Ms > 0).ToArray();
        for (var i = 0; i < sweeps.Length; i++)
        {
            var ok = sweeps[i].Where(p => double.IsFinite(p.P99Ms) && p.P99Ms > 0).OrderBy(p => p.OfferedRate).ToArray();
            var line = plot.Add.Scatter(ok.Select(p => p.OfferedRate).ToArray(), ok.Select(p => Math.Log10(p.P99Ms)).ToArray(), Charts.Color(i));
            line.LegendText = sweeps[i][0].Label;
            line.MarkerSize = 8;
            line.LineWidth = 2;
        }

        if (drawn.Length > 0)
        {
            var (min, max) = (drawn.Min(p => p.P99Ms), drawn.Max(p => p.P99Ms));
            Charts.LogTicks(plot.Axes.Left, min, max);
            plot.Axes.SetLimitsY(Math.Log10(min) - 0.15, Math.Log10(max) + 0.15);
            plot.Axes.SetLimitsX(0, drawn.Max(p => p.OfferedRate) * 1.05);
        }

        var chart = Charts.Save(plot, Charts.Directory(dir), "open-loop-p99.png", "p99 latency against offered rate", 900, 550, ScottPlot.Edge.Right);
        var md = new StringBuilder("# Open-loop sweep\n\n");
        md.Append(Md.Table(
            ["sweep", "offered req/s", "achieved req/s", "p50 ms", "p99 ms", "sent", "answered 200", "errors", "server RSS after", "load average after"],
            sweeps.SelectMany(s => s.OrderBy(p => p.OfferedRate)).Select(p => (IReadOnlyList<string>)
            [
                p.Label, Md.N(p.OfferedRate), Md.N(p.AchievedRate), Md.Ms(p.P50Ms), Md.Ms(p.P99Ms),
                p.Sent.ToString(CultureInfo.InvariantCulture), p.Succeeded.ToString(CultureInfo.InvariantCulture), p.Errors.ToString(CultureInfo.InvariantCulture),
                p.ServerRssBytes is { } rss ? ServerMemory.MiB(rss) : Md.Unknown, p.LoadAverage ?? Md.Unknown,
            ])));
        md.Append("\nAchieved below offered means the server saturated: requests queue and p99 grows with the run's length.\n");
        md.Append(CultureInfo.InvariantCulture, $"\n![{chart.Title}]({chart.RelativePath})\n");
        File.WriteAllText(Path.Combine(dir, "open-loop.md"), md.ToString());
        output.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "open-loop.md"))} and {chart.RelativePath}");
    }
}
