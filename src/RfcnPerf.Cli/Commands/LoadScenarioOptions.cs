using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Serving;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf load --scenario</c>'s options and the thin glue from them to <see cref="ScenarioSession"/>: the
/// systems under test are the model(s) in process (<c>--model</c>, repeatable) or the served model(s) at
/// <c>--url</c> (repeatable), each run in turn; with <c>--mode accuracy</c> every annotated image of the COCO folder
/// goes through each once and is scored.
/// </summary>
internal sealed class LoadScenarioOptions
{
    public Option<string?> Scenario { get; } = new("--scenario") { Description = "MLPerf LoadGen scenario with a VALID/INVALID verdict: " + LoadScenarioNames.Choices };

    public Option<double?> TargetQps { get; } = new("--target-qps") { Description = "server: Poisson arrivals per second; offline: the expected samples per second (sizes the query)" };

    public Option<double?> TargetLatencyMs { get; } = new("--target-latency-ms") { Description = "server: the bound the p99 (sorted[n*0.99]) is held to" };

    public Option<double?> ExpectedLatencyMs { get; } = new("--expected-latency-ms") { Description = "single/multi-stream: the expected query latency (default: the warm-up's), for the default min duration" };

    public Option<double?> MinDuration { get; } = new("--min-duration") { Description = "Seconds (default: max(60, the time early stopping's minimum queries take at the expected rate))" };

    public Option<bool> Official { get; } = new("--official") { Description = "mlperf.conf's 600 s minimum duration" };

    public Option<long?> MinQueries { get; } = new("--min-queries") { Description = "Minimum query count (default: LoadGen's 100; multi-stream 662)" };

    public Option<double?> MaxDuration { get; } = new("--max-duration") { Description = "Seconds after which issuing stops even if the minimums are not met (LoadGen's max_duration; default none)" };

    public Option<long?> MaxQueries { get; } = new("--max-queries") { Description = "Queries after which issuing stops even if the minimums are not met (LoadGen's max_query_count; default none)" };

    public Option<int?> PerformanceSampleCount { get; } = new("--performance-sample-count") { Description = "Images loaded into memory before timing and drawn from (default: LoadGen's 64 for YOLO, at most the images available)" };

    public Option<int> SampleSeed { get; } = new("--sample-seed") { Description = "Seed of the images loaded, the samples drawn and the arrivals", DefaultValueFactory = _ => 2085463 };

    public Option<string> Mode { get; } = new("--mode") { Description = "performance (the scenario's timed run and verdict) | accuracy (every annotated image of the COCO folder once through the same SUT, in process or through the server, scored with the COCO evaluator)", DefaultValueFactory = _ => "performance" };

    public Option<string?> Baseline { get; } = new("--baseline") { Description = "An earlier run's *-summary.json of the same scenario (e.g. the model in process): this run's latency minus its, and the ratio, each with a 95% interval (the serving overhead when this run is --url)" };

    public Option<bool> FindPeak { get; } = new("--find-peak") { Description = "server: LoadGen's FindPeakPerformance from --target-qps (double until the bound fails, then binary search), every probe logged" };

    public Option<int> MaxBatch { get; } = new("--max-batch") { Description = "In process (--model): the batcher's largest batch, as serve's", DefaultValueFactory = _ => 1 };

    public Option<int> Streams { get; } = new("--streams") { Description = "In process (--model): pipelines the batcher feeds, as serve's", DefaultValueFactory = _ => 1 };

    /// <summary>LoadGen's performance_sample_count for the YOLO benchmark (mlperf.conf: yolo.*.performance_sample_count_override = 64).</summary>
    public const int DefaultPerformanceSampleCount = 64;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Scenario, Mode, Baseline, TargetQps, TargetLatencyMs, ExpectedLatencyMs, MinDuration, Official, MinQueries, MaxDuration, MaxQueries, PerformanceSampleCount, SampleSeed, FindPeak, MaxBatch, Streams })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Runs the scenario for each SUT (each of <paramref name="remotes"/>, one per <c>--url</c>, or each of
    /// <paramref name="models"/>); 0 when every run is VALID (accuracy mode: when every run was scored), 1
    /// otherwise. <paramref name="imagesDir"/> and <paramref name="cocoDir"/> are <c>--images</c> and <c>--coco</c>.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, IReadOnlyList<LoadOptions> remotes, string[] models, string? imagesDir, string? cocoDir, Core.Inference.SessionSettings session, string outDir, CancellationToken cancel)
    {
        var scenario = LoadScenarioNames.Parse(parse.GetValue(Scenario)!);
        var accuracy = parse.GetValue(Mode) switch
        {
            "performance" => false,
            "accuracy" => true,
            var other => throw new RfcnPerfException($"--mode must be performance or accuracy, got '{other}'"),
        };
        if (remotes.Count > 0 && models.Length > 0)
        {
            throw new RfcnPerfException("--scenario takes either --model (in process) or --url (a server), not both");
        }

        if (remotes.Count == 0 && models.Length == 0)
        {
            throw new RfcnPerfException("--scenario needs --model (in process, repeatable) or --url (a served model, repeatable)");
        }

        var findPeak = parse.GetValue(FindPeak);
        if (findPeak && scenario != LoadScenario.Server)
        {
            throw new RfcnPerfException("--find-peak works with --scenario server only (as LoadGen's FindPeakPerformance)");
        }

        var seed = parse.GetValue(SampleSeed);
        if (accuracy)
        {
            return await RunAccuracyAsync(parse, scenario, remotes, models, imagesDir, cocoDir, seed, session, outDir, cancel);
        }

        var baseline = parse.GetValue(Baseline) is { } baselinePath ? ScenarioBaseline.Read(baselinePath) : null;
        if (baseline is not null && (findPeak || baseline.Scenario != scenario))
        {
            throw new RfcnPerfException(findPeak
                ? "--baseline compares one run's latencies with another's; --find-peak's runs are at different rates"
                : $"--baseline is a {LoadScenarioNames.Name(baseline.Scenario)} run; this run is {LoadScenarioNames.Name(scenario)}");
        }

        var images = ImageList.FromFolder(LoadCommand.ImageFolder(imagesDir, cocoDir));
        var count = parse.GetValue(PerformanceSampleCount) ?? Math.Min(DefaultPerformanceSampleCount, images.Count);
        var minDuration = parse.GetValue(MinDuration) is { } md ? TimeSpan.FromSeconds(md >= 0 ? md : throw new RfcnPerfException($"--min-duration must be 0 or more seconds, got {md.ToString(CultureInfo.InvariantCulture)}")) : (TimeSpan?)null;
        var maxDuration = parse.GetValue(MaxDuration) is { } xd ? (xd > 0 ? (long)(xd * 1e9) : throw new RfcnPerfException($"--max-duration must be positive, got {xd.ToString(CultureInfo.InvariantCulture)}")) : 0;
        var maxQueries = parse.GetValue(MaxQueries) is { } xq ? (xq >= 1 ? xq : throw new RfcnPerfException($"--max-queries must be at least 1, got {xq}")) : 0;

        // Validate what needs no measurement before loading anything (a bad --target-qps fails at once).
        ScenarioSettings SettingsFor(double warmupMs) => ScenarioSettings.Create(scenario, parse.GetValue(TargetQps), parse.GetValue(ExpectedLatencyMs) ?? Math.Max(warmupMs, 0.001),
            parse.GetValue(TargetLatencyMs), minDuration, parse.GetValue(MinQueries), parse.GetValue(Official), new EarlyStopping()) with
        {
            MaxDurationNs = maxDuration,
            MaxQueryCount = maxQueries,
            SampleSeed = seed,
            ScheduleSeed = seed + 1,
        };
        SettingsFor(parse.GetValue(ExpectedLatencyMs) ?? 10);
        var library = SampleLibrary.Load(images, count, seed);

        var outcomes = new List<(string, ScenarioOutcome)>();
        await ForEachSutAsync(parse, scenario, remotes, models, session, library, accuracy: false, async (sut, _, name, prefix) =>
            outcomes.Add((name, await ScenarioSession.RunAsync(sut, library, SettingsFor, findPeak, outDir, prefix, Console.Out, cancel))));

        ScenarioComparison.Write(outcomes, Console.Out);
        foreach (var (name, outcome) in outcomes)
        {
            if (baseline is not null && outcome.Summary is { } summary)
            {
                Console.WriteLine(ScenarioComparison.BaselineLine(baseline, name, summary));
            }
        }

        Console.WriteLine($"load average: {Core.Machine.LoadSnapshot.Read()?.ToString() ?? "not known"}");
        return outcomes.All(o => o.Item2.Summary?.Valid == true) ? 0 : 1;
    }

    /// <summary>
    /// <c>--mode accuracy</c>: the library is every image the COCO folder's annotation file names (or
    /// <c>--performance-sample-count</c> of them, drawn as in performance mode, scored on those only), each system
    /// under test (in process, or a served model whose answers are read back) scores it once. The annotation file
    /// maps samples to image ids, so a bare image folder is refused.
    /// </summary>
    private async Task<int> RunAccuracyAsync(ParseResult parse, LoadScenario scenario, IReadOnlyList<LoadOptions> remotes, string[] models, string? imagesDir, string? cocoDir,
        int seed, Core.Inference.SessionSettings session, string outDir, CancellationToken cancel)
    {
        if (parse.GetValue(FindPeak) || parse.GetValue(Baseline) is not null)
        {
            throw new RfcnPerfException("--find-peak and --baseline are about latency; --mode accuracy runs every image once and times nothing");
        }

        if (imagesDir is not null)
        {
            throw new RfcnPerfException("--mode accuracy maps each image to its COCO id through the annotation file: give the COCO folder (--coco DIR with val2017/ and annotations/instances_val2017.json), not --images");
        }

        var folder = CocoDataPaths.Resolve(cocoDir);
        CocoDataPaths.Require(folder.Annotations, "--mode accuracy: annotation file");
        CocoDataPaths.Require(folder.Images, "--mode accuracy: image folder");
        var annotated = ImageList.FromAnnotations(AnnotationIndex.Load(folder.Annotations).Images, folder.Images);
        var missing = annotated.Where(i => !File.Exists(i.Path)).ToList();
        if (missing.Count > 0)
        {
            throw new RfcnPerfException($"--mode accuracy: {missing.Count} of the {annotated.Count} images {folder.Annotations} names are not in {folder.Images} (first: {Path.GetFileName(missing[0].Path)})");
        }

        var library = SampleLibrary.Load(annotated, parse.GetValue(PerformanceSampleCount), seed);
        await ForEachSutAsync(parse, scenario, remotes, models, session, library, accuracy: true, (sut, log, _, prefix) =>
            ScenarioAccuracy.RunAsync(sut, log!, library, scenario, folder.Annotations, outDir, prefix, Console.Out, cancel));
        return 0;
    }

    /// <summary>
    /// The one loop over the systems under test, in turn: each <c>--url</c>'s served model (<see cref="RemoteSut"/>),
    /// else each <c>--model</c> opened as <c>serve</c> would open it (its batcher and pipelines, <c>--max-batch</c>,
    /// <c>--streams</c>; <see cref="InProcessSut"/>). <paramref name="run"/> gets the SUT, its accuracy log (accuracy
    /// mode), its name for the side-by-side table and the prefix of its files.
    /// </summary>
    private async Task ForEachSutAsync(ParseResult parse, LoadScenario scenario, IReadOnlyList<LoadOptions> remotes, string[] models, Core.Inference.SessionSettings session,
        SampleLibrary library, bool accuracy, Func<ISystemUnderTest, AccuracyLog?, string, string, Task> run)
    {
        var names = RemoteNames(remotes);
        for (var i = 0; i < remotes.Count; i++)
        {
            var log = accuracy ? new AccuracyLog(library) : null;
            using var sut = new RemoteSut(remotes[i], library, log);
            await run(sut, log, remotes[i].Url.ToString(), Prefix(scenario, names[i]));
        }

        if (models.Length == 0)
        {
            return;
        }

        var options = new ServingOptions { MaxBatch = parse.GetValue(MaxBatch), Streams = parse.GetValue(Streams) };
        options.Validate();
        var store = AssetStore.FromEnvironment();
        foreach (var model in models)
        {
            var located = ModelLocator.Locate(model, store, msg => Console.Error.WriteLine(msg));
            await using var served = ServedModel.Open(located.DisplayName, located.Path, session, options, new ServingMetrics());
            var log = accuracy ? new AccuracyLog(library) : null;
            await run(new InProcessSut(served, library, options.MaxPixelsPerImage, log), log, located.DisplayName, Prefix(scenario, located.DisplayName));
        }
    }

    /// <summary>
    /// What each <c>--url</c>'s files are named after: "server" when there is one (as before several were allowed),
    /// else "server-" and the model name in its path (<c>/v1/models/NAME</c>, <c>/v2/models/NAME</c>, gRPC's
    /// <c>/NAME</c>), numbered when two names are the same.
    /// </summary>
    internal static string[] RemoteNames(IReadOnlyList<LoadOptions> remotes)
    {
        if (remotes.Count <= 1)
        {
            return [.. remotes.Select(_ => "server")];
        }

        var models = remotes.Select(r =>
        {
            var parts = r.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(parts, "models");
            var name = at >= 0 && at + 1 < parts.Length ? parts[at + 1] : parts.LastOrDefault() ?? r.Url.Authority;
            return name.Split(':')[0];
        }).ToArray();
        return [.. models.Select((m, i) => models.Count(o => o == m) > 1 ? $"server{i + 1}-{m}" : $"server-{m}")];
    }

    private static string Prefix(LoadScenario scenario, string name) =>
        LoadScenarioNames.Name(scenario) + "-" + string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + "-";
}
