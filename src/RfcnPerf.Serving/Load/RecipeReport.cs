using System.Globalization;
using System.Text;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Reporting;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// <c>rfcnperf load --recipe</c>: runs the recipe's real-time and throughput scenarios against the server and
/// in-process, in interleaved blocks of requests, and writes <c>recipe.md</c> (table and chart) and <c>recipe.json</c>.
/// </summary>
internal static class RecipeReport
{
    /// <summary>Runs the scenarios, writes the report into <paramref name="dir"/> and prints progress and the table on <paramref name="output"/>.</summary>
    public static async Task RunAsync(LoadOptions options, LocatedModel model, SessionSettings settings, int bigBatch, int? requests, int? warmup, string dir, TextWriter output)
    {
        var before = LoadSnapshot.Read()?.ToString() ?? Md.Unknown;
        output.WriteLine($"recipe: {LoadProtocolNames.Name(options.Protocol)} {options.Payload.ToString().ToLowerInvariant()} -> {options.Url}; in-process {model.DisplayName}, {settings.Describe()}; load average {before}");
        var scenarios = new List<RecipeScenario>();
        foreach (var plan in RecipeRunner.Plan(bigBatch, requests, warmup))
        {
            output.WriteLine($"batch {plan.Batch}: {plan.Warmup} warm-up + {plan.Requests} measured requests (rounded up to blocks of {Core.Comparison.ComparisonOptions.MinBlockRequests}), served and in-process blocks alternating");
            scenarios.Add(await RecipeRunner.RunAsync(options with { Batch = plan.Batch }, model.Path, settings, plan.Warmup, plan.Requests, output.WriteLine));
        }

        var after = LoadSnapshot.Read()?.ToString() ?? Md.Unknown;
        Directory.CreateDirectory(dir);
        var chart = Chart(scenarios, dir);
        var md = new StringBuilder();
        md.Append("# Served vs in-process: the recipe's two scenarios\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Server {options.Url} ({LoadProtocolNames.Name(options.Protocol)}, payload {options.Payload.ToString().ToLowerInvariant()}); in-process: {model.DisplayName} ({Path.GetFileName(model.Path)}), {settings.Describe()}, same images (decode, pre-process, inference, post-process), blocks of {Core.Comparison.ComparisonOptions.MinBlockRequests} requests a side alternating, the order of each round drawn from a seed. Load average before {before}, after {after}.\n\n");
        md.Append(Md.Table(
            ["scenario", "requests", "served mean ms", "served p50 ms", "in-process mean ms", "in-process p50 ms", "served / in-process p50", "served / in-process, paired (95% interval)", "verdict", "served images/s", "in-process images/s", "errors"],
            scenarios.Select(s => (IReadOnlyList<string>)
            [
                s.Name, s.ServedMs.Length.ToString(CultureInfo.InvariantCulture), Md.Ms(s.ServedMean), Md.Ms(s.ServedP50), Md.Ms(s.InProcessMean), Md.Ms(s.InProcessP50),
                Md.Times(s.P50Ratio), Md.Interval(s.Comparison.Ratio), Md.Verdict(s.Comparison.Ratio), Md.N(s.ServedImagesPerSecond), Md.N(s.InProcessImagesPerSecond),
                s.ServedErrors.Count == 0 ? "none" : string.Join(", ", s.ServedErrors.Select(e => $"{e.Key} x{e.Value}")),
            ])));
        foreach (var s in scenarios)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n- {s.Name}: {s.Comparison.StopText()}; seed {s.Comparison.Conditions.Seed}; {s.Comparison.Ratio.Method}; machine noise: {s.Comparison.Conditions.Noise.Describe()}{(s.Comparison.Conditions.Noise.FlagText() is { } flag ? $" **(flagged: {flag})**" : string.Empty)}.");
        }

        md.Append(CultureInfo.InvariantCulture, $"\n\n![{chart.Title}]({chart.RelativePath})\n");
        File.WriteAllText(Path.Combine(dir, "recipe.md"), md.ToString());
        LoadJson.Write(Path.Combine(dir, "recipe.json"), new
        {
            url = options.Url.ToString(),
            protocol = LoadProtocolNames.Name(options.Protocol),
            payload = options.Payload.ToString().ToLowerInvariant(),
            model = model.DisplayName,
            modelFile = model.Path,
            settings = settings.Describe(),
            loadBefore = before,
            loadAfter = after,
            scenarios,
        });
        output.WriteLine();
        output.Write(md.ToString());
        output.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "recipe.md"))}, recipe.json and {chart.RelativePath}");
    }

    private static ChartFile Chart(IReadOnlyList<RecipeScenario> scenarios, string dir)
    {
        var plot = Charts.New("Served vs in-process, images/s", "scenario", "images per second (from the mean request time)");
        var ticks = new List<ScottPlot.Tick>();
        for (var i = 0; i < scenarios.Count; i++)
        {
            var s = scenarios[i];
            var served = plot.Add.Bar(new ScottPlot.Bar { Position = (i * 3) + 0, Value = s.ServedImagesPerSecond, FillColor = Charts.Color(0) });
            var local = plot.Add.Bar(new ScottPlot.Bar { Position = (i * 3) + 1, Value = s.InProcessImagesPerSecond, FillColor = Charts.Color(1) });
            if (i == 0)
            {
                served.LegendText = "served";
                local.LegendText = "in-process";
            }

            ticks.Add(new ScottPlot.Tick((i * 3) + 0.5, s.Name));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        return Charts.Save(plot, Charts.Directory(dir), "served-vs-in-process.png", "Images per second, served and in-process, per scenario", 900, 500, ScottPlot.Edge.Right);
    }
}
