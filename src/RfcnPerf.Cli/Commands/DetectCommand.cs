using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Reporting;
using Spectre.Console;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf detect</c>: run a detector over a folder (or the images an annotation file names), write a
/// COCO results JSON, print the latency summary, optionally draw the detections.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Catalog name or .onnx path", DefaultValueFactory = _ => ModelCatalog.DefaultModel };
        var images = new Option<string?>("--images") { Description = "Image folder (default: the COCO folder's val2017/)" };
        var annotations = new Option<string?>("--annotations") { Description = "COCO annotation file: process the images it names, map classes to its categories (default with the COCO folder: annotations/instances_val2017.json)" };
        var coco = new Option<string?>("--coco") { Description = "COCO folder (default: RFCNPERF_COCO, else ./data/coco, else the pulled val2017, else the bundled sample)" };
        var limit = new Option<int?>("--limit") { Description = "Process only the first N images" };
        var output = new Option<string?>("--out") { Description = "COCO results JSON to write (default: results/detections/<model>.json)" };
        var visualize = new Option<string?>("--visualize") { Description = "Draw boxes and labels onto copies of the first images in this folder" };
        var visualizeCount = new Option<int>("--visualize-count") { Description = "How many images --visualize draws", DefaultValueFactory = _ => 8 };
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Count and list unreadable images instead of stopping" };
        var shard = new Option<string?>("--shard") { Description = "Process shard i of n (i/n, 0-based) of the image list" };
        var common = new DetectorCliOptions();
        var command = new Command("detect", "Run a detector over images and write COCO results JSON")
        {
            model, images, annotations, coco, limit, output, visualize, visualizeCount, skipBad, shard,
        };
        common.AddTo(command);

        command.SetAction(parse =>
        {
            var store = AssetStore.FromEnvironment();
            var located = ModelLocator.Locate(parse.GetValue(model)!, store, msg => Console.Error.WriteLine(msg));
            var (list, categories) = ResolveImages(parse.GetValue(images), parse.GetValue(annotations), parse.GetValue(coco));
            list = ImageList.Select(list, parse.GetValue(shard) is { } s ? ShardSpec.Parse(s) : null, parse.GetValue(limit));

            var settings = common.GetSettings(parse, pipelined: !parse.GetValue(common.Sequential));
            var batch = common.GetBatch(parse);
            using var session = DetectorSession.Open(located.Path, settings, batch, common.GetFamily(parse), located.DisplayName);
            using var pipeline = new DetectionPipeline(session.Default, categories, common.GetPostprocess(parse, session.Default.Head.DefaultPostprocess));
            Console.WriteLine($"model {located.DisplayName} ({session.Family.ToName()}), {list.Count} images, batch {batch}, {settings.Describe()}, session created in {session.CreationTime.TotalMilliseconds:F0} ms");

            var result = ProgressRunner.Run(pipeline, list, parse.GetValue(skipBad), parse.GetValue(common.Sequential));
            var outPath = parse.GetValue(output) ?? Path.Combine("results", "detections", located.DisplayName + ".json");
            DetectionResultsFile.Write(outPath, result.Images);
            PrintSummary(session, result, outPath);
            PrintPeakShare(located.Path, session, result);

            if (parse.GetValue(visualize) is { } dir)
            {
                foreach (var image in result.Images.Take(Math.Max(0, parse.GetValue(visualizeCount))))
                {
                    DetectionVisualizer.Draw(image, categories, dir);
                }

                Console.WriteLine($"drew {Math.Min(result.Images.Count, parse.GetValue(visualizeCount))} images into {Path.GetFullPath(dir)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Images and category map from --images/--annotations/--coco, with defaults from the COCO folder.</summary>
    internal static (IReadOnlyList<ImageRef> Images, CategoryMap Categories) ResolveImages(string? imagesDir, string? annotationsPath, string? cocoDir)
    {
        if (imagesDir is null)
        {
            var folder = CocoDataPaths.Resolve(cocoDir);
            imagesDir = folder.Images;
            CocoDataPaths.Require(imagesDir, "COCO images folder");
            var defaultAnnotations = folder.Annotations;
            annotationsPath ??= File.Exists(defaultAnnotations) ? defaultAnnotations : null;
        }

        if (annotationsPath is null)
        {
            return (ImageList.FromFolder(imagesDir), CategoryMap.Coco80);
        }

        var index = AnnotationIndex.Load(annotationsPath);
        return (ImageList.FromAnnotations(index.Images, imagesDir), CategoryMap.FromCategories(index.Categories));
    }

    /// <summary>Achieved operations per second of the model call against this machine's measured peak, when both are known.</summary>
    private static void PrintPeakShare(string modelPath, DetectorSession session, DetectionRunResult result)
    {
        var machine = MachineInfo.Current();
        if (MachinePeaks.TryLoad(machine) is null && Environment.GetEnvironmentVariable(MachinePeaks.Fp32OverrideVariable) is null)
        {
            Console.WriteLine("% of peak: this machine's peaks are not measured yet; run `rfcnperf machine` once (about 10 s)");
            return;
        }

        var compute = RfcnPerf.Onnx.ModelInfo.Read(modelPath).Compute;
        if (compute.TotalGigaOps <= 0 || !double.IsFinite(result.InferenceImagesPerSecond))
        {
            return;
        }

        var peaks = PeakInForce.Resolve(machine);
        var int8 = compute.IntegerGops > compute.FloatGflops;
        var cores = session.Settings.IntraOpThreads is > 0 and var t ? Math.Min(t, machine.PhysicalCores) : machine.PhysicalCores;
        var rate = compute.TotalGigaOps * result.InferenceImagesPerSecond;
        var share = peaks.PercentOf(rate, int8, cores, machine.PhysicalCores) is { } percent ? string.Create(CultureInfo.InvariantCulture, $"{percent:F1}%") : Md.Unknown;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model call: {compute.TotalGigaOps:F2} G ops per image x {result.InferenceImagesPerSecond:F1} images/s = {rate:F1} G ops/s, {share} of the {(int8 ? "INT8" : "FP32")} peak of {cores} core(s) ({peaks.Source})"));
    }

    private static void PrintSummary(DetectorSession session, DetectionRunResult result, string outPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var inference = result.Inference;
        var e2e = result.EndToEnd;
        Console.WriteLine($"wrote {result.Images.Sum(i => i.Detections.Count)} detections for {result.Images.Count} images to {Path.GetFullPath(outPath)}");
        if (result.BadImages.Count > 0)
        {
            Console.WriteLine($"skipped {result.BadImages.Count} unreadable images:");
            foreach (var (path, reason) in result.BadImages)
            {
                Console.WriteLine($"  {path}: {reason}");
            }
        }

        Console.WriteLine(string.Create(inv, $"session creation {session.CreationTime.TotalMilliseconds:F1} ms, first run {session.FirstRunTime?.TotalMilliseconds ?? double.NaN:F1} ms (warm-up, excluded below)"));
        Console.WriteLine("latency per request (ms)      mean      p50      p90      p99      min      max   images/s");
        Console.WriteLine(string.Create(inv, $"  inference (Run)        {inference.MeanMs,8:F2} {inference.P50Ms,8:F2} {inference.P90Ms,8:F2} {inference.P99Ms,8:F2} {inference.MinMs,8:F2} {inference.MaxMs,8:F2} {result.InferenceImagesPerSecond,10:F1}"));
        Console.WriteLine(string.Create(inv, $"  end to end             {e2e.MeanMs,8:F2} {e2e.P50Ms,8:F2} {e2e.P90Ms,8:F2} {e2e.P99Ms,8:F2} {e2e.MinMs,8:F2} {e2e.MaxMs,8:F2} {result.EndToEndImagesPerSecond,10:F1}"));
        var steady = result.SteadyBatches.Select(b => b.Times).ToArray();
        if (result.PipelinedSteadyTime is { } wall)
        {
            // Pipelined: the end-to-end row's latencies are each request's summed stage work (stages of different
            // requests overlap), its images/s is the wall-clock rate.
            Console.WriteLine(string.Create(inv, $"  pipelined: {result.PipelinedSteadyImages} steady images in {wall.TotalMilliseconds:F0} ms wall = {result.EndToEndImagesPerSecond:F1} images/s end to end, {result.EndToEndImagesPerSecond / result.InferenceImagesPerSecond:F2} x the model-call rate of the same pass (--sequential for per-request stage latencies)"));
        }

        if (steady.Length > 0)
        {
            Console.WriteLine(string.Create(inv, $"  stage means{(result.PipelinedSteadyTime is null ? string.Empty : " (overlapping)")}: decode {steady.Average(b => b.DecodeMs):F2}, pre-process {steady.Average(b => b.PreprocessMs):F2}, inference {steady.Average(b => b.InferenceMs):F2}, post-process {steady.Average(b => b.PostprocessMs):F2} ms per request ({steady.Length} requests)"));
        }
    }
}
