using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Reporting;
using RfcnPerf.Statistics;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf model speed MODEL MODEL ...</c>: model-call latency of several models, each compared with the first by
/// the interleaved runner (alternating blocks in one process), with the time ratio's 95% interval and a verdict, and
/// an A/A noise check of the first model against a second session of itself; the quick answer to "is the INT8
/// model faster here".
/// </summary>
internal static class ModelSpeedCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var models = new Argument<string[]>("MODEL") { Description = "Catalog names or .onnx paths; ratios are against the first", Arity = ArgumentArity.OneOrMore };
        var rounds = new Option<int?>("--rounds") { Description = "Exactly this many measured rounds per comparison (default: until the ratio's 95% interval half-width is at most θ/2, 30 to 200 rounds)" };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured rounds first", DefaultValueFactory = _ => 1 };
        var block = new Option<int>("--block") { Description = "Requests per side in each round (at least 5)", DefaultValueFactory = _ => ComparisonOptions.MinBlockRequests };
        var threshold = new Option<string>("--threshold") { Description = "θ: ratios within 1 ± θ are 'same' (e.g. 5% or 0.05)", DefaultValueFactory = _ => "5%" };
        var timeCap = new Option<int>("--time-cap") { Description = "Seconds per comparison before it stops, decided or not", DefaultValueFactory = _ => 120 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the round orders and bootstraps (default: drawn and printed)" };
        var image = new Option<string?>("--image") { Description = "Input image (default: the first image of the COCO folder)" };
        var intra = new Option<int>("--intra") { Description = "Intra-op threads (0 = ONNX Runtime default)", DefaultValueFactory = _ => 0 };
        var endToEnd = new Option<bool>("--end-to-end") { Description = "Per model: the model call vs JPEG-to-detections passes (sequential and pipelined runner) over COCO images, interleaved" };
        var images = new Option<int>("--images") { Description = "COCO images per pass with --end-to-end", DefaultValueFactory = _ => 8 };
        var noSpin = new Option<bool>("--no-spin") { Description = "Do not let idle intra-op threads spin" };
        var command = new Command("speed", "Batch-1 model-call latency of several models, each against the first in interleaved blocks in one process: time ratio, 95% interval, verdict; or, with --end-to-end, each model's end-to-end throughput against its model call")
        {
            models, rounds, warmup, block, threshold, timeCap, seed, image, intra, endToEnd, images, noSpin,
        };
        command.SetAction(parse =>
        {
            var store = AssetStore.FromEnvironment();
            var located = parse.GetValue(models)!.Select(m => ModelLocator.Locate(m, store, Console.Error.WriteLine)).ToList();
            var fixedRounds = parse.GetValue(rounds);
            if (fixedRounds is < 1)
            {
                throw new RfcnPerfException($"--rounds must be at least 1, got {fixedRounds}");
            }

            double theta;
            try
            {
                theta = VerdictRule.ParseThreshold(parse.GetValue(threshold)!);
            }
            catch (FormatException ex)
            {
                throw new RfcnPerfException($"--threshold: {ex.Message}");
            }

            if (parse.GetValue(timeCap) < 1)
            {
                throw new RfcnPerfException($"--time-cap must be at least 1 second, got {parse.GetValue(timeCap)}");
            }

            var options = new ComparisonOptions
            {
                BlockRequests = parse.GetValue(block),
                WarmupRounds = Math.Max(0, parse.GetValue(warmup)),
                FixedRounds = fixedRounds,
                Threshold = theta,
                TimeCap = TimeSpan.FromSeconds(parse.GetValue(timeCap)),
                Seed = parse.GetValue(seed) ?? SplitMix64.NewSeed(),
            };
            options.Validate();
            var settings = new SessionSettings { IntraOpThreads = parse.GetValue(intra), AllowSpinning = !parse.GetValue(noSpin) };
            if (parse.GetValue(endToEnd))
            {
                return EndToEnd(located, settings, options, parse.GetValue(images));
            }

            var imagePath = parse.GetValue(image) ?? FirstCocoImage();
            Console.Out.WriteLine(string.Create(Inv, $"batch 1, {settings.Describe()}, image {Path.GetFileName(imagePath)}; blocks of {options.BlockRequests} requests a side, the order of each round drawn from seed {options.Seed}; θ {Md.Percent(theta)}; {RoundsText(options)}; load average {LoadSnapshot.Read()?.ToString() ?? Md.Unknown}"));
            var results = AlternatingSpeed.Measure(located.Select(l => l.Path).ToList(), imagePath, settings, options,
                (label, round) => Console.Error.Write(string.Create(Inv, $"\r{label}: round {round}   ")));
            Console.Error.WriteLine();
            var aa = results[0].VsFirst;
            Console.Out.WriteLine(string.Create(Inv, $"A/A noise check ({located[0].DisplayName} against a second session of itself): {Md.Interval(aa.Ratio)} {Md.Verdict(aa.Ratio)}; {aa.StopText()}"));
            Console.Out.WriteLine($"{"model",-34} {"p50 ms",9} {"p90 ms",9} {"mean ms",9} {"min ms",9}  {"time / first [95%]",26} {"speed-up",9}  {"verdict",-22} {"rounds",6}");
            for (var i = 0; i < results.Count; i++)
            {
                var l = results[i].Latency;
                var r = results[i].VsFirst.Ratio;
                var vs = i == 0 ? "(first)" : Md.Interval(r);
                var speedUp = i == 0 ? string.Empty : Md.Times(1 / r.Ratio);
                var verdict = i == 0 ? string.Empty : Md.Verdict(r);
                Console.Out.WriteLine(string.Create(Inv, $"{located[i].DisplayName,-34} {l.P50Ms,9:F2} {l.P90Ms,9:F2} {l.MeanMs,9:F2} {l.MinMs,9:F2}  {vs,26} {speedUp,9}  {verdict,-22} {(i == 0 ? string.Empty : results[i].VsFirst.Rounds.Count.ToString(Inv)),6}"));
            }

            Console.Out.WriteLine(string.Create(Inv, $"time / first: B/A per request, exp(median of per-round log ratios), 95% percentile bootstrap over rounds; verdict at θ {Md.Percent(theta)}: 'same' inside 1 ± θ, 'faster'/'slower' wholly beyond, else (or under {VerdictRule.MinRounds} rounds) 'unknown'"));
            var run = results[^1].VsFirst;
            Console.Out.WriteLine(string.Create(Inv, $"one interleaved run, every model each round: {run.StopText()}; seed {run.Conditions.Seed}; noise {run.Conditions.Noise.Describe()}{Flag(run)}"));

            return 0;
        });
        return command;
    }

    private static int EndToEnd(IReadOnlyList<LocatedModel> located, SessionSettings settings, ComparisonOptions options, int imageCount)
    {
        if (imageCount < 1)
        {
            throw new RfcnPerfException($"--images must be at least 1, got {imageCount}");
        }

        var images = CocoImages("COCO images folder").Take(imageCount).ToList();
        Console.Out.WriteLine(string.Create(Inv, $"passes of {images.Count} COCO images, batch 1, {settings.Describe()}; per model one interleaved run of the model call, sequential and pipelined passes in blocks of {options.BlockRequests}, order per round from seed {options.Seed}; {RoundsText(options)}; load average {LoadSnapshot.Read()?.ToString() ?? Md.Unknown}"));
        var results = located.Select(l => Core.Pipeline.EndToEndSpeed.Measure(l.Path, images, settings, options,
            (label, round) => Console.Error.Write(string.Create(Inv, $"\r{l.DisplayName} {label}: round {round}   ")))).ToList();
        Console.Error.WriteLine();
        Console.Out.WriteLine($"{"model",-28} {"model call",11} {"sequential",11} {"pipelined",11}  {"kept, sequential [95%]",24} {"kept, pipelined [95%]",24}");
        Console.Out.WriteLine($"{"",-28} {"images/s",11} {"images/s",11} {"images/s",11}");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            Console.Out.WriteLine(string.Create(Inv, $"{located[i].DisplayName,-28} {1000 / r.ModelCall.P50Ms,11:F1} {1000 / r.Sequential.P50Ms,11:F1} {1000 / r.Pipelined.P50Ms,11:F1}  {Md.SpeedUp(r.SequentialVsCall.Ratio),24} {Md.SpeedUp(r.PipelinedVsCall.Ratio),24}"));
            var c = r.SequentialVsCall;
            Console.Out.WriteLine(string.Create(Inv, $"  {c.StopText()}; seed {c.Conditions.Seed}; noise {c.Conditions.Noise.Describe()}{Flag(c)}"));
        }

        Console.Out.WriteLine("images/s from each pass's median time per image; kept = model-call time / end-to-end time per image, paired over rounds (1.00: the model call is the only cost left), 95% percentile bootstrap interval");
        return 0;
    }

    private static string RoundsText(ComparisonOptions o) => o.FixedRounds is { } n
        ? string.Create(Inv, $"{n} rounds per comparison")
        : string.Create(Inv, $"{o.MinRounds} to {o.MaxRounds} rounds per comparison, stopping when the interval half-width is at most θ/2 or after {o.TimeCap.TotalSeconds:F0} s");

    private static string Flag(ComparisonResult r) =>
        (r.Conditions.UnsettledBlocks > 0 ? string.Create(Inv, $"; {r.Conditions.UnsettledBlocks} block{(r.Conditions.UnsettledBlocks == 1 ? string.Empty : "s")} started while other threads of ours were still runnable (settle cap)") : string.Empty) +
        (r.Conditions.Noise.FlagText() is { } flag ? $" NOISY: {flag}" : string.Empty);

    private static string FirstCocoImage() => CocoImages("COCO images folder (or pass --image)")[0].Path;

    /// <summary>The COCO folder's images in file order; a missing folder is an error naming <paramref name="what"/>.</summary>
    private static IReadOnlyList<Core.Pipeline.ImageRef> CocoImages(string what)
    {
        var dir = CocoDataPaths.Resolve(null).Images;
        CocoDataPaths.Require(dir, what);
        return Core.Pipeline.ImageList.FromFolder(dir);
    }
}
