using System.Globalization;
using System.Text;
using RfcnPerf.Cli.Commands;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Cli;

/// <summary>
/// <c>rfcnperf load --recipe</c>: runs the recipe's real-time and throughput scenarios against the server and
/// in-process, alternating request by request, and writes <c>recipe.md</c> and <c>recipe.json</c>.
/// </summary>
internal static class RecipeReport
{
    public static async Task RunAsync(LoadOptions options, LocatedModel model, SessionSettings settings, int bigBatch, int? requests, int warmupOverride, string dir)
    {
        var inv = CultureInfo.InvariantCulture;
        var before = LoadSnapshot.Read()?.ToString() ?? "n/a";
        Console.WriteLine($"recipe: {LoadCommand.ProtocolName(options.Protocol)} {options.Payload.ToString().ToLowerInvariant()} -> {options.Url}; in-process {model.DisplayName}, {settings.Describe()}; load average {before}");
        var scenarios = new List<RecipeScenario>();
        foreach (var (batch, warmup, count) in new[] { (1, 10, 20), (bigBatch, 2, 10) }.DistinctBy(s => s.Item1))
        {
            // The recipe's counts unless --requests/--warmup say otherwise (batch 128 costs minutes on small machines).
            var w = warmupOverride != 2 ? warmupOverride : warmup;
            var n = requests ?? count;
            Console.WriteLine($"batch {batch}: {w} warm-up + {n} measured requests, each followed by the same request in-process");
            scenarios.Add(await RecipeRunner.RunAsync(options with { Batch = batch }, model.Path, settings, w, n, Console.WriteLine));
        }

        var after = LoadSnapshot.Read()?.ToString() ?? "n/a";
        var md = new StringBuilder();
        md.AppendLine("# Served vs in-process: the recipe's two scenarios").AppendLine();
        md.AppendLine(inv, $"Server {options.Url} ({LoadCommand.ProtocolName(options.Protocol)}, payload {options.Payload.ToString().ToLowerInvariant()}); in-process: {model.DisplayName} ({Path.GetFileName(model.Path)}), {settings.Describe()}, same images, request by request alternated. Load average before {before}, after {after}.").AppendLine();
        md.AppendLine("| scenario | requests | served mean ms | served p50 ms | in-process mean ms | in-process p50 ms | served/in-process p50 | served images/s | in-process images/s | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in scenarios)
        {
            var errors = s.ServedErrors.Count == 0 ? "none" : string.Join(", ", s.ServedErrors.Select(e => $"{e.Key} x{e.Value}"));
            md.AppendLine(inv, $"| {s.Name} | {s.ServedMs.Length} | {s.ServedMean:F1} | {s.ServedP50:F1} | {s.InProcessMean:F1} | {s.InProcessP50:F1} | {s.P50Ratio:F3} | {s.ServedImagesPerSecond:F2} | {s.InProcessImagesPerSecond:F2} | {errors} |");
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "recipe.md"), md.ToString());
        LoadCommand.WriteJson(Path.Combine(dir, "recipe.json"), new
        {
            url = options.Url.ToString(),
            protocol = LoadCommand.ProtocolName(options.Protocol),
            payload = options.Payload.ToString().ToLowerInvariant(),
            model = model.DisplayName,
            modelFile = model.Path,
            settings = settings.Describe(),
            loadBefore = before,
            loadAfter = after,
            scenarios,
        });
        Console.WriteLine();
        Console.Write(md.ToString());
        Console.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "recipe.md"))} and recipe.json");
    }
}
