using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Pipeline;

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
        var endToEnd = new Option<bool>("--end-to-end") { Description = "Per model: the model call vs JPEG-to-detections passes (sequential and pipelined runner) over COCO images, alternating in each round" };
        var images = new Option<int>("--images") { Description = "COCO images per pass with --end-to-end", DefaultValueFactory = _ => 32 };
        var noSpin = new Option<bool>("--no-spin") { Description = "Do not let idle intra-op threads spin" };
        var command = new Command("speed", "Batch-1 model-call latency of several models, alternating runs in one process, ratios to the first; or, with --end-to-end, each model's end-to-end throughput against its model call")
        {
            models, rounds, warmup, image, intra, endToEnd, images, noSpin,
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

            var settings = new SessionSettings { IntraOpThreads = parse.GetValue(intra), AllowSpinning = !parse.GetValue(noSpin) };
            if (parse.GetValue(endToEnd))
            {
                return EndToEnd(located, settings, n, Math.Max(0, parse.GetValue(warmup)), parse.GetValue(images));
            }

            var before = LoadSnapshot.Read();
            var results = AlternatingSpeed.Measure(located.Select(l => l.Path).ToList(), imagePath, settings, n, Math.Max(0, parse.GetValue(warmup)));
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

    private static int EndToEnd(IReadOnlyList<LocatedModel> located, SessionSettings settings, int rounds, int warmup, int imageCount)
    {
        if (imageCount < 1)
        {
            throw new RfcnPerfException($"--images must be at least 1, got {imageCount}");
        }

        var images = CocoImages("COCO images folder").Take(imageCount).ToList();
        var ci = CultureInfo.InvariantCulture;
        var before = LoadSnapshot.Read();
        var results = located.Select(l => Core.Pipeline.EndToEndSpeed.Measure(l.Path, images, settings, rounds, warmup)).ToList();
        var after = LoadSnapshot.Read();
        Console.Out.WriteLine($"{rounds} rounds of {images.Count} COCO images, batch 1, {settings.Describe()}; each round runs the model call, the sequential and the pipelined pass in turn; load average before {before?.ToString() ?? "n/a"}, after {after?.ToString() ?? "n/a"}");
        Console.Out.WriteLine($"{"model",-28} {"model call",11} {"sequential",11} {"pipelined",11}  {"kept, sequential",16} {"kept, pipelined",16}");
        Console.Out.WriteLine($"{"",-28} {"images/s",11} {"images/s",11} {"images/s",11}");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            Console.Out.WriteLine(string.Create(ci, $"{located[i].DisplayName,-28} {1000 / r.ModelCall.P50Ms,11:F1} {1000 / r.Sequential.P50Ms,11:F1} {1000 / r.Pipelined.P50Ms,11:F1}  {r.KeptSequential,16:F2} {r.KeptPipelined,16:F2}"));
        }

        Console.Out.WriteLine("images/s from each pass's median time per image; kept = median over rounds of model-call time / end-to-end time in the same round (1.00: the model call is the only cost left)");
        return 0;
    }

    private static string FirstCocoImage() => CocoImages("COCO images folder (or pass --image)")[0].Path;

    /// <summary>The COCO folder's images in file order; a missing folder is an error naming <paramref name="what"/>.</summary>
    private static IReadOnlyList<Core.Pipeline.ImageRef> CocoImages(string what)
    {
        var dir = CocoDataPaths.Resolve(null).Images;
        CocoDataPaths.Require(dir, what);
        return Core.Pipeline.ImageList.FromFolder(dir);
    }
}
