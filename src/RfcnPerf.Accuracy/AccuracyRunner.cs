using System.Diagnostics;
using System.Globalization;
using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Onnx;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// <c>rfcnperf eval run</c>: for each model, detect over the ground truth's images (resumable through a
/// checkpoint), write its COCO results JSON, score that file with the COCOeval port and keep the latency of
/// the same pass; then write the report (report.md, report.json, charts, side-by-side examples).
/// Layout of the output folder: <c>&lt;model&gt;/&lt;model&gt;.results.json</c>, <c>&lt;model&gt;/run.json</c> (and
/// <c>&lt;model&gt;/&lt;model&gt;.checkpoint.jsonl</c> while a pass runs), <c>charts/</c>, <c>examples/</c>,
/// <c>report.md</c>, <c>report.json</c>. A model whose run.json has the same fingerprint is reused, so a run
/// interrupted at its third model does not redo the first two.
/// </summary>
public static class AccuracyRunner
{
    /// <summary>The marker file of a run that has not written its report yet; it holds the run's fingerprint.</summary>
    public const string IncompleteMarker = "run.incomplete";

    /// <summary>Runs everything and writes the report; returns it.</summary>
    /// <exception cref="RfcnPerfException">A model, the data or an option is wrong (the message says which and what to do).</exception>
    /// <exception cref="CocoException">The ground truth or a results file is malformed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; rerunning the same command resumes.</exception>
    public static AccuracyReport Run(AccuracyRunOptions options, IAccuracyRunListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        if (options.Models.Count == 0)
        {
            throw new RfcnPerfException("no model to run: give --model NAME|PATH at least once");
        }

        if (options.Batch < 1)
        {
            throw new RfcnPerfException($"--batch must be at least 1, got {options.Batch}");
        }

        var wall = Stopwatch.StartNew();
        if (!File.Exists(options.Annotations))
        {
            throw new RfcnPerfException($"annotation file not found at {Path.GetFullPath(options.Annotations)}; pass --coco DIR (standard layout: val2017/ and annotations/instances_val2017.json), --annotations GT.json, or set RFCNPERF_COCO");
        }

        if (!Directory.Exists(options.ImagesDir))
        {
            throw new RfcnPerfException($"image folder not found at {Path.GetFullPath(options.ImagesDir)}; pass --coco DIR or --images DIR, or set RFCNPERF_COCO");
        }

        var gt = CocoGroundTruth.Load(options.Annotations);
        var categories = CategoryMap.FromCategories(AnnotationIndex.From(gt).Categories);
        var images = SelectImages(gt, options);
        var data = new DataSelection(
            Path.GetFullPath(options.Annotations), Path.GetFullPath(options.ImagesDir), gt.Images.Count, images.Count, options.Limit,
            options.Shard is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.Index}/{s.Count}") : null,
            Restricted: images.Count != gt.Images.Count);
        if (images.Count == 0)
        {
            throw new RfcnPerfException($"no image to process: {options.Annotations} lists {gt.Images.Count} images and --limit/--shard left none");
        }

        Directory.CreateDirectory(options.OutDir);
        var marker = Path.Combine(options.OutDir, IncompleteMarker);
        File.WriteAllText(marker, options.Fingerprint());
        listener.Log($"{images.Count} of {gt.Images.Count} ground-truth images{(data.Restricted ? " (each model is scored on these images only)" : string.Empty)}; output {Path.GetFullPath(options.OutDir)}");

        var gtBoxes = gt.NonCrowdCountByCategory(data.Restricted ? images.Select(i => i.ImageId).ToHashSet() : null);
        var machine = MachineRows("Load average at start");
        var store = AssetStore.FromEnvironment();
        var runs = new List<ModelRun>();
        foreach (var model in options.Models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runs.Add(RunModel(model, options, store, gt, categories, images, data.Restricted, gtBoxes, listener, cancellationToken));
        }

        // The load at the end too: other work that starts mid-run shows only there.
        machine = [.. machine, LoadRow("Load average at end")];
        var labeled = RunPairing.Label(runs.Select(r => (r.Model.Path, r)).ToArray());
        var pairs = RunPairing.Pairs(labeled);
        var report = new AccuracyReport
        {
            CreatedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            CommandLine = options.CommandLine,
            Machine = machine,
            Data = data,
            Runs = runs,
            Comparisons = pairs.Select(p => RunComparison.Of(p.Baseline, p.Candidate)).ToArray(),
            Skipped = options.Skipped,
            WallSeconds = wall.Elapsed.TotalSeconds,
        };

        var charts = ReportCharts.Write(options.OutDir, labeled, pairs).ToList();

        // What each model got wrong and where each pair disagrees, from the saved results files.
        var loaded = runs.Select(r => CocoResults.Load(Path.Combine(options.OutDir, r.Model.Name, r.ResultsFile), gt)).ToArray();
        var diagnostics = ReportDiagnostics.Compute(
            gt,
            [.. labeled.Select((l, i) => (l.Label, loaded[i]))],
            [.. pairs.Select(p => (IndexOf(labeled, p.Baseline), IndexOf(labeled, p.Candidate)))],
            data.Restricted ? images.Select(i => i.ImageId).ToArray() : null,
            threads: options.EvalThreads);
        charts.AddRange(DiagnosticCharts.Write(options.OutDir, diagnostics, [.. Enumerable.Range(0, labeled.Count)]));

        // How sure each difference is: a paired bootstrap over images of every stat and per-class AP delta.
        var bootstrapClock = Stopwatch.StartNew();
        var restrictedIds = data.Restricted ? images.Select(i => i.ImageId).ToArray() : null;
        var comparisons = pairs.Select((p, i) => report.Comparisons[i] with
        {
            Intervals = options.BootstrapReplicates == 0 ? null
                : AccuracyBootstrap.Compute(gt, loaded[IndexOf(labeled, p.Baseline)], loaded[IndexOf(labeled, p.Candidate)], restrictedIds, options.EvalThreads, options.BootstrapReplicates),
        }).ToArray();
        if (pairs.Count > 0 && options.BootstrapReplicates > 0)
        {
            listener.Log(string.Create(CultureInfo.InvariantCulture, $"paired bootstrap over images ({options.BootstrapReplicates} replicates, seed {AccuracyBootstrap.DefaultSeed}) for {pairs.Count} pair{(pairs.Count == 1 ? string.Empty : "s")} in {bootstrapClock.Elapsed.TotalSeconds:F1} s"));
        }

        report = report with { Comparisons = comparisons, Diagnostics = diagnostics.Runs, Agreements = diagnostics.Pairs };
        var examplesDir = Path.Combine(options.OutDir, "examples");
        var examples = options.Visualize <= 0 ? []
            : diagnostics.Pairs.Count > 0 ? SideBySideVisualizer.WriteDisagreements(examplesDir, gt, categories, images, diagnostics, options.Visualize)
            : SideBySideVisualizer.Write(examplesDir, categories, images, labeled, loaded, options.Visualize);
        report = report with { WallSeconds = wall.Elapsed.TotalSeconds };
        JsonReportFile.Write(Path.Combine(options.OutDir, "report.json"), report);
        File.WriteAllText(Path.Combine(options.OutDir, "report.md"), ReportMarkdown.Build(report, labeled, pairs, charts, examples, options.OutDir, diagnostics));
        File.Delete(marker);
        listener.Log($"wrote {Path.GetFullPath(Path.Combine(options.OutDir, "report.md"))} (and report.json, {charts.Count} charts, {examples.Count} examples) in {wall.Elapsed.TotalSeconds:F1} s");
        return report;
    }

    /// <summary>
    /// The models run when none is named: the default model and its INT8 counterpart, then every FP32 model for
    /// which a shipped INT8 file exists, with its derived INT8 model and the shipped one (today: yolov8n and
    /// yolov8n-int8, then NanoDet FP32, our QDQ INT8 and the shipped QOperator INT8).
    /// </summary>
    public static IReadOnlyList<string> DefaultModels()
    {
        var models = new List<string> { ModelCatalog.DefaultModel };
        if (ModelCatalog.Find(ModelCatalog.DefaultModel)?.Int8Counterpart is { } defaultInt8)
        {
            models.Add(defaultInt8);
        }

        foreach (var shipped in ModelCatalog.All.Where(m => m is { Precision: ModelPrecision.INT8, IsDerived: false, Fp32Model: not null }))
        {
            var fp32 = ModelCatalog.Find(shipped.Fp32Model!)!;
            models.Add(fp32.Name);
            if (fp32.Int8Counterpart is { } derived)
            {
                models.Add(derived);
            }

            models.Add(shipped.Name);
        }

        return models.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// <see cref="DefaultModels"/> restricted to what can be run here: the default model always (its absence is
    /// the caller's error to report), each FP32/INT8 pair only when both files resolve (cache, mirror or their
    /// public source), followed by a shipped INT8 file of the same FP32 model when it resolves too. Each left-out
    /// pair or file is named with the reason in <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<string> AvailableDefaultModels(AssetStore store, List<string> skipped, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(skipped);
        var models = new List<string> { ModelCatalog.DefaultModel };
        foreach (var m in ModelCatalog.All.Where(m => m.Int8Counterpart is not null))
        {
            try
            {
                ModelLocator.Locate(m.Name, store, log);
                ModelLocator.Locate(m.Int8Counterpart!, store, log);
                models.Add(m.Name);
                models.Add(m.Int8Counterpart!);
            }
            catch (RfcnPerfException ex)
            {
                skipped.Add($"the FP32/INT8 pair {m.Name} / {m.Int8Counterpart} was skipped: {ex.Message}");
                continue;
            }

            // A shipped INT8 file of the same FP32 model (NanoDet's QOperator file) joins the comparison, after ours.
            foreach (var shipped in ModelCatalog.All.Where(s => s is { Precision: ModelPrecision.INT8, IsDerived: false } && s.Fp32Model == m.Name))
            {
                try
                {
                    ModelLocator.Locate(shipped.Name, store, log);
                    models.Add(shipped.Name);
                }
                catch (RfcnPerfException ex)
                {
                    skipped.Add($"the shipped INT8 file {shipped.Name} was skipped: {ex.Message}");
                }
            }
        }

        return models.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// The default output folder under <paramref name="root"/> (e.g. <c>results/accuracy</c>): the newest folder
    /// holding an interrupted run with this fingerprint (so running the same command again resumes it), else a
    /// new <c>yyyyMMdd-HHmmss</c> folder.
    /// </summary>
    public static string DefaultOutDir(string root, string fingerprint, DateTime now)
    {
        if (Directory.Exists(root))
        {
            var resumable = Directory.EnumerateDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, IncompleteMarker))
                    && File.ReadAllText(Path.Combine(d, IncompleteMarker)).Trim() == fingerprint)
                .Order(StringComparer.Ordinal)
                .LastOrDefault();
            if (resumable is not null)
            {
                return resumable;
            }
        }

        return Path.Combine(root, now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    }

    /// <summary>The ground truth's images in file order, sharded, then limited.</summary>
    internal static IReadOnlyList<ImageRef> SelectImages(CocoGroundTruth gt, AccuracyRunOptions options) =>
        ImageList.Select(ImageList.FromAnnotations(AnnotationIndex.From(gt).Images, options.ImagesDir), options.Shard, options.Limit);

    private static ModelRun RunModel(
        string nameOrPath,
        AccuracyRunOptions options,
        AssetStore store,
        CocoGroundTruth gt,
        CategoryMap categories,
        IReadOnlyList<ImageRef> images,
        bool restricted,
        IReadOnlyDictionary<long, int> gtBoxes,
        IAccuracyRunListener listener,
        CancellationToken cancellationToken)
    {
        var located = ModelLocator.Locate(nameOrPath, store, listener.Log);
        var name = located.DisplayName;
        var dir = Path.Combine(options.OutDir, name);
        var resultsPath = Path.Combine(dir, name + ".results.json");
        var runPath = Path.Combine(dir, "run.json");
        var info = ModelInfo.Read(located.Path);

        using var session = DetectorSession.Open(located.Path, options.Settings, options.Batch, options.Family, name);
        var head = session.Default.Head;
        var defaults = head.DefaultPostprocess;
        var postprocess = defaults.With(options.ScoreThreshold, options.IouThreshold, options.MaxDetections);
        var fingerprint = DetectionCheckpoint.Fingerprint(
            info.Sha256, options.Settings.Describe(), options.Batch, session.Family.ToName(), postprocess,
            string.Join('\u001e', images.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.ImageId}:{i.Path}"))));

        if (ReportJson.TryReadRun(runPath) is { } done && done.Fingerprint == fingerprint && File.Exists(resultsPath))
        {
            listener.Log($"{name}: already finished in this folder (same model, settings and images), reusing {runPath}");
            return done;
        }

        var precision = located.Catalog?.Precision ?? info.Quantization.PrecisionOf();
        var facts = new ModelFacts(
            name,
            precision,
            info.Sha256,
            session.Family.ToName(),
            head.Preprocess.InputWidth > 0 ? string.Create(CultureInfo.InvariantCulture, $"{head.Preprocess.InputWidth}x{head.Preprocess.InputHeight}") : "any (resized in the graph)",
            info.Compute.Complete ? info.Compute.TotalGigaOps : null,
            info.ParameterCount,
            info.Quantization.ToString(),
            info.FileBytes,
            located.Path,
            located.Catalog?.Int8Counterpart,
            located.Catalog?.PublishedApPercent,
            located.Catalog?.Note);
        listener.Log(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {precision}, {facts.Family}, input {facts.InputSize}, batch {options.Batch}, {options.Settings.Describe()}, session created in {session.CreationTime.TotalMilliseconds:F0} ms"));

        // Detect (resumable).
        var detectClock = Stopwatch.StartNew();
        DetectionRunResult result;
        var resumed = 0;
        using (var pipeline = new DetectionPipeline(session.Default, categories, postprocess))
        using (var checkpoint = DetectionCheckpoint.Open(Path.Combine(dir, name + ".checkpoint.jsonl"), fingerprint))
        {
            if (checkpoint.DiscardedReason is { } why)
            {
                listener.Log($"{name}: discarded an old checkpoint: {why}");
            }

            resumed = checkpoint.DonePaths.Count;
            if (resumed > 0)
            {
                listener.Log($"{name}: resuming an interrupted pass: {resumed} of {images.Count} images already done");
            }

            listener.DetectionStarted(name, images.Count);
            try
            {
                if (options.Pipelined)
                {
                    using var runner = new PipelinedDetectionRunner(pipeline);
                    result = runner.Run(images, options.SkipBadImages, done => listener.DetectionProgress(name, done), cancellationToken, checkpoint);
                }
                else
                {
                    result = DetectionRunner.Run(pipeline, images, options.SkipBadImages, done => listener.DetectionProgress(name, done), cancellationToken, checkpoint);
                }
            }
            finally
            {
                listener.DetectionEnded(name);
            }

            DetectionResultsFile.Write(resultsPath, result.Images);
            checkpoint.Complete();
        }

        var detectSeconds = detectClock.Elapsed.TotalSeconds;

        // Score the saved file, exactly as `rfcnperf eval score` would.
        var evalClock = Stopwatch.StartNew();
        var dt = CocoResults.Load(resultsPath, gt);
        var parameters = new CocoEvalParams();
        IReadOnlyList<long>? imgIds = restricted ? images.Select(i => i.ImageId).ToArray() : null;
        if (imgIds is not null)
        {
            parameters.ImgIds = imgIds;
        }

        var evaluator = new CocoEvaluator(gt, dt, parameters, options.EvalThreads);
        var summary = evaluator.Run();
        var accumulation = evaluator.Accumulation!;
        var run = new ModelRun
        {
            Model = facts,
            Fingerprint = fingerprint,
            ResultsFile = Path.GetFileName(resultsPath),
            Annotations = Path.GetFullPath(options.Annotations),
            ImagesProcessed = images.Count,
            BadImages = result.BadImages.Select(b => $"{b.Path}: {b.Reason}").ToArray(),
            Detections = dt.Count,
            EvaluatedImageIds = imgIds,
            EvaluatedImageCount = accumulation.ImageIds.Count,
            Stats = [.. summary.Stats],
            StatNames = [.. summary.StatNames],
            StatLines = [.. summary.StatLines],
            PerCategory = [.. summary.PerCategory],
            GroundTruthBoxes = gtBoxes,
            PrecisionRecall = new[] { 0.5, 0.75 }.Select(t => PrecisionRecallCurve.From(accumulation, t)).OfType<PrecisionRecallCurve>().ToArray(),
            Latency = LatencyFigures.From(result, options.Batch, options.Settings.Describe() + (result.PipelinedSteadyTime is null ? ", sequential runner" : ", pipelined runner"), session.CreationTime.TotalMilliseconds),
            DetectSeconds = detectSeconds,
            EvaluateSeconds = evalClock.Elapsed.TotalSeconds,
            ResumedImages = resumed,
            Shard = options.Shard is { } shard ? ShardOf(shard, info.Sha256, options, session.Family.ToName(), postprocess, gt) : null,
        };
        JsonReportFile.Write(runPath, run);
        listener.Log(string.Create(CultureInfo.InvariantCulture,
            $"{name}: AP {run.AP:F3}, AP50 {run.Stats[1]:F3}; inference p50 {run.Latency.Inference.P50Ms:F2} ms, {run.Latency.EndToEndImagesPerSecond:F1} images/s end to end; {dt.Count} detections in {name}/{Path.GetFileName(resultsPath)}"));
        return run;
    }

    private static int IndexOf(IReadOnlyList<LabeledRun> runs, LabeledRun run) => runs.ToList().IndexOf(run);

    /// <summary>This shard's place in its run; <see cref="ShardInfo.SetId"/> is the same for every shard of one command.</summary>
    private static ShardInfo ShardOf((int Index, int Count) shard, string sha256, AccuracyRunOptions options, string family, PostprocessOptions postprocess, CocoGroundTruth gt)
    {
        var setId = DetectionCheckpoint.Fingerprint(
            sha256, options.Settings.Describe(), options.Batch, family, postprocess, options.Limit, shard.Count,
            string.Join('\u001e', gt.Images.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Id}:{i.FileName}"))));
        return new ShardInfo(shard.Index, shard.Count, setId, gt.Images.Count);
    }

    /// <summary>The shared machine description plus the load average, whose first number the report reads.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> MachineRows(string loadLabel) =>
        [.. MachineInfo.Current().Rows().Select(r => new KeyValuePair<string, string>(r.Name, r.Value)), LoadRow(loadLabel)];

    /// <summary>A 1/5/15-minute load average row, e.g. <c>0.31 / 0.40 / 0.52 (1/5/15 min; 2 logical CPUs)</c>.</summary>
    private static KeyValuePair<string, string> LoadRow(string label) =>
        new(label, LoadSnapshot.Read() is { } load
            ? string.Create(CultureInfo.InvariantCulture, $"{load} (1/5/15 min; {Environment.ProcessorCount} logical CPUs)")
            : "unknown");
}
