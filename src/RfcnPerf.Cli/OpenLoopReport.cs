using System.Globalization;
using System.Text;
using System.Text.Json;
using RfcnPerf.Reporting;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Cli;

/// <summary>One offered rate of an open-loop sweep.</summary>
internal sealed record OpenLoopPoint(string Label, double OfferedRate, double AchievedRate, double P50Ms, double P99Ms, int Sent, int Succeeded, int Errors);

/// <summary>
/// <c>rfcnperf load --rates ... --label L --out-dir D</c>: each sweep is kept as <c>open-loop-L.json</c>; the table
/// and the p99-vs-offered-rate chart cover every sweep in the folder, so a run with batching and one without land
/// in one chart.
/// </summary>
internal static class OpenLoopReport
{
    public static void Add(string dir, string label, IEnumerable<LoadResult> results)
    {
        Directory.CreateDirectory(dir);
        var points = results.Select(r => new OpenLoopPoint(label, r.OfferedRate ?? double.NaN, r.RequestsPerSecond, r.P50Ms, r.P99Ms, r.Sent, r.Succeeded, r.ErrorsByStatus.Values.Sum())).ToArray();
        File.WriteAllText(Path.Combine(dir, $"open-loop-{label}.json"), JsonSerializer.Serialize(points, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Write(dir);
    }

    public static void Write(string dir)
    {
        var sweeps = Directory.GetFiles(dir, "open-loop-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<OpenLoopPoint[]>(File.ReadAllText(f), new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!)
            .Where(s => s.Length > 0)
            .ToArray();
        var plot = Charts.New("Open loop: p99 latency against offered rate", "offered rate (requests/s, Poisson)", "p99 latency (ms, from the intended send time)");
        for (var i = 0; i < sweeps.Length; i++)
        {
            var ok = sweeps[i].Where(p => double.IsFinite(p.P99Ms)).OrderBy(p => p.OfferedRate).ToArray();
            var line = plot.Add.Scatter(ok.Select(p => p.OfferedRate).ToArray(), ok.Select(p => p.P99Ms).ToArray(), Charts.Color(i));
            line.LegendText = sweeps[i][0].Label;
            line.MarkerSize = 8;
        }

        var chart = Charts.Save(plot, Charts.Directory(dir), "open-loop-p99.png", "p99 latency against offered rate", 900, 550, ScottPlot.Edge.Right);
        var md = new StringBuilder("# Open-loop sweep\n\n");
        md.Append(Md.Table(
            ["sweep", "offered req/s", "achieved req/s", "p50 ms", "p99 ms", "sent", "answered 200", "errors"],
            sweeps.SelectMany(s => s).Select(p => (IReadOnlyList<string>)
            [
                p.Label, Md.N(p.OfferedRate), Md.N(p.AchievedRate), Md.Ms(p.P50Ms), Md.Ms(p.P99Ms),
                p.Sent.ToString(CultureInfo.InvariantCulture), p.Succeeded.ToString(CultureInfo.InvariantCulture), p.Errors.ToString(CultureInfo.InvariantCulture),
            ])));
        md.Append(CultureInfo.InvariantCulture, $"\n![{chart.Title}]({chart.RelativePath})\n");
        File.WriteAllText(Path.Combine(dir, "open-loop.md"), md.ToString());
        Console.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "open-loop.md"))} and {chart.RelativePath}");
    }
}
