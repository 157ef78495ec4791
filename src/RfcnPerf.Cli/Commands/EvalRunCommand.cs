using System.CommandLine;
using System.Runtime.InteropServices;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Accuracy;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf eval run</c>: detect, score and time each model over the COCO images, then write one report
/// (report.md, report.json, charts, side-by-side examples). Thin: <see cref="AccuracyRunner"/> does the work.
/// </summary>
internal static class EvalRunCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model")
        {
            Description = "Catalog name or .onnx path; repeat for several (default: " + string.Join(", ", AccuracyRunner.DefaultModels()) + ")",
            HelpName = "MODEL",
            AllowMultipleArgumentsPerToken = false,
        };
        var coco = new Option<string?>("--coco") { Description = "COCO folder: val2017/ and annotations/instances_val2017.json (default: RFCNPERF_COCO, else ./data/coco, else the pulled val2017, else the bundled sample)" };
        var annotations = new Option<string?>("--annotations") { Description = "Ground truth to use instead of the COCO folder's (its images are processed)", HelpName = "GT.json" };
        var images = new Option<string?>("--images") { Description = "Folder the ground truth's file names resolve in (default: the COCO folder's val2017/)" };
        var limit = new Option<int?>("--limit") { Description = "Process only the first N images (each model is then scored on those images only)" };
        var shard = new Option<string?>("--shard") { Description = "Process shard i of n (i/n, 0-based, round-robin) of the image list: one job of a cluster array" };
        var outDir = new Option<string?>("--out-dir") { Description = "Report folder (default: results/accuracy/<timestamp>/, or the interrupted run of the same command, which resumes)" };
        var visualize = new Option<int>("--visualize") { Description = "Draw N images with each model's detections side by side (0: none)", DefaultValueFactory = _ => 4 };
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Count and list unreadable images instead of stopping" };
        var evalThreads = new Option<int>("--eval-threads") { Description = "Scoring threads (default: one per core; the stats are identical for any count)" };
        var bootstrap = new Option<int>("--bootstrap")
        {
            Description = "Replicates of the paired bootstrap over images behind each INT8-vs-FP32 delta's 95% interval (0: no intervals)",
            DefaultValueFactory = _ => AccuracyBootstrap.DefaultReplicates,
        };
        var common = new DetectorCliOptions();
        var command = new Command("run", "Detect, score and time each model over the COCO images, then write one comparison report (accuracy and speed side by side)")
        {
            models, coco, annotations, images, limit, shard, outDir, visualize, skipBad, evalThreads, bootstrap,
        };
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var needFolder = parse.GetValue(annotations) is null || parse.GetValue(images) is null;
            var folder = needFolder ? CocoDataPaths.Resolve(parse.GetValue(coco)) : null;
            var gt = parse.GetValue(annotations) ?? folder!.Annotations;
            var imagesDir = parse.GetValue(images) ?? folder!.Images;
            CocoDataPaths.Require(gt, "COCO annotation file");
            CocoDataPaths.Require(imagesDir, "COCO images folder");
            var skipped = new List<string>();
            var chosen = parse.GetValue(models) is { Length: > 0 } m
                ? m
                : AccuracyRunner.AvailableDefaultModels(AssetStore.FromEnvironment(), skipped, msg => Console.Error.WriteLine(msg));
            foreach (var line in skipped)
            {
                Console.Error.WriteLine(line);
            }

            if (parse.GetValue(visualize) < 0)
            {
                throw new RfcnPerfException($"--visualize must be 0 or more, got {parse.GetValue(visualize)}");
            }

            if (parse.GetValue(bootstrap) < 0)
            {
                throw new RfcnPerfException($"--bootstrap must be 0 or more, got {parse.GetValue(bootstrap)}");
            }

            var options = new AccuracyRunOptions
            {
                Models = chosen,
                Skipped = skipped,
                Annotations = gt,
                ImagesDir = imagesDir,
                OutDir = string.Empty,
                Limit = parse.GetValue(limit) is { } l ? (l >= 0 ? l : throw new RfcnPerfException($"--limit must be 0 or more, got {l}")) : null,
                Shard = parse.GetValue(shard) is { } s ? ShardSpec.Parse(s) : null,
                Settings = common.GetSettings(parse, pipelined: !parse.GetValue(common.Sequential)),
                Batch = common.GetBatch(parse),
                Family = common.GetFamily(parse),
                ScoreThreshold = parse.GetValue(common.ScoreThreshold),
                IouThreshold = parse.GetValue(common.IouThreshold),
                MaxDetections = parse.GetValue(common.MaxDets),
                Visualize = parse.GetValue(visualize),
                SkipBadImages = parse.GetValue(skipBad),
                Pipelined = !parse.GetValue(common.Sequential),
                EvalThreads = parse.GetValue(evalThreads),
                BootstrapReplicates = parse.GetValue(bootstrap),
                CommandLine = "rfcnperf " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value)),
            };
            var dir = parse.GetValue(outDir)
                ?? AccuracyRunner.DefaultOutDir(Path.Combine("results", "accuracy"), options.Fingerprint(), DateTime.Now);
            options = options with { OutDir = dir };
            if (File.Exists(Path.Combine(dir, AccuracyRunner.IncompleteMarker)))
            {
                Console.WriteLine($"resuming the interrupted run in {Path.GetFullPath(dir)}");
            }

            // Ctrl+C or SIGTERM (a scheduler stopping the job) stops the pass after the current image; a second
            // signal ends the process at once. Either way every finished image is already in the checkpoint.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnSignal(PosixSignalContext context)
            {
                if (!interrupt.IsCancellationRequested)
                {
                    context.Cancel = true;
                    interrupt.Cancel();
                }
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            try
            {
                await Task.Run(() => EvalRunProgress.Run(options, interrupt.Token), interrupt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"interrupted: run the same command again (or pass --out-dir {Path.GetFullPath(dir)}) to resume where it stopped");
                return 130;
            }

            return 0;
        });
        return command;
    }
}
