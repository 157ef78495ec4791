using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf model speed MODEL MODEL ...</c>: model-call latency of several models alternating in one
/// process, with each model's p50 ratio to the first; the quick answer to "is the INT8 model faster here".
/// </summary>
internal static class ModelSpeedCommand
{
    public static Command Create()
    {
        var models = new Argument<string[]>("MODEL") { Description = "Catalog names or .onnx paths; ratios are against the first", Arity = ArgumentArity.OneOrMore };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds (one run of every model each)", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured rounds first", DefaultValueFactory = _ => 3 };
        var image = new Option<string?>("--image") { Description = "Input image (default: the first image of the COCO folder)" };
        var intra = new Option<int>("--intra") { Description = "Intra-op threads (0 = ONNX Runtime default)", DefaultValueFactory = _ => 0 };
        var command = new Command("speed", "Batch-1 model-call latency of several models, alternating runs in one process, ratios to the first")
        {
            models, rounds, warmup, image, intra,
        };
        command.SetAction(parse =>
        {
            var store = AssetStore.FromEnvironment();
            var located = parse.GetValue(models)!.Select(m => ModelLocator.Locate(m, store, Console.Error.WriteLine)).ToList();
            var imagePath = parse.GetValue(image) ?? FirstCocoImage();
            var n = parse.GetValue(rounds);
            if (n < 1)
            {
                throw new RfcnPerfException($"--rounds must be at least 1, got {n}");
            }

            var before = LoadSnapshot.Read();
            var results = AlternatingSpeed.Measure(located.Select(l => l.Path).ToList(), imagePath,
                new SessionSettings { IntraOpThreads = parse.GetValue(intra) }, n, Math.Max(0, parse.GetValue(warmup)));
            var after = LoadSnapshot.Read();
            var ci = CultureInfo.InvariantCulture;
            Console.Out.WriteLine($"{n} alternating rounds, batch 1, intra={parse.GetValue(intra)}, image {Path.GetFileName(imagePath)}; load average before {before?.ToString() ?? "n/a"}, after {after?.ToString() ?? "n/a"}");
            Console.Out.WriteLine($"{"model",-34} {"p50 ms",9} {"p90 ms",9} {"mean ms",9} {"min ms",9}  {"p50 speed-up vs first",22}");
            var first = results[0].Latency.P50Ms;
            for (var i = 0; i < results.Count; i++)
            {
                var l = results[i].Latency;
                Console.Out.WriteLine(string.Create(ci, $"{located[i].DisplayName,-34} {l.P50Ms,9:F2} {l.P90Ms,9:F2} {l.MeanMs,9:F2} {l.MinMs,9:F2}  {first / l.P50Ms,21:F2}x"));
            }

            return 0;
        });
        return command;
    }

    private static string FirstCocoImage()
    {
        var dir = CocoDataPaths.Resolve(null).Images;
        CocoDataPaths.Require(dir, "COCO images folder (or pass --image)");
        return Core.Pipeline.ImageList.FromFolder(dir)[0].Path;
    }
}
