using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Comparisons;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Bench.Reporting;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Machine;
using RfcnPerf.Reporting;
using RfcnPerf.Statistics;

namespace RfcnPerf.Bench;

/// <summary>
/// One run of a profile: resolve the models (fetching the default one), publish the run's state, let
/// BenchmarkDotNet run the benchmarks, then write summary.md and the charts from its summaries. Exit code 0
/// when every case produced results, 1 when any failed, 2 when the run could not start.
/// </summary>
internal static class BenchRun
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static int Execute(string[] args)
    {
        BenchArguments parsed;
        try
        {
            parsed = BenchArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"run-bench: {ex.Message}");
            Console.Error.WriteLine(BenchArguments.Usage);
            return 2;
        }

        if (parsed.Help)
        {
            Console.WriteLine(BenchArguments.Usage);
            Console.WriteLine();
            Console.WriteLine("BenchmarkDotNet options:");
            BenchmarkSwitcher.FromTypes(BenchmarkTypes()).Run(["--help"]);
            return 0;
        }

        if (parsed.RooflineFrom is { } resultsDir)
        {
            return RooflineFromResults.Run(resultsDir);
        }

        var started = DateTime.UtcNow;
        var wall = Stopwatch.StartNew();
        var profile = parsed.Profile;
        var machine = MachineInfo.Current();
        var loadBefore = LoadSnapshot.Read();
        Console.WriteLine($"run-bench: profile {profile.Name}: {profile.Description}");
        Console.WriteLine($"run-bench: machine: {machine.Describe()}");
        Console.WriteLine($"run-bench: load average before: {loadBefore?.ToString() ?? Md.Unknown}");

        var listOnly = parsed.BenchmarkDotNetArgs.Any(a => a is "--list" or "--info" or "--version");
        var selection = ModelSelection.Resolve(profile, parsed.Models, msg => Console.WriteLine($"run-bench: {msg}"), listOnly);
        if (selection.Errors.Count > 0 || selection.Variants.Count == 0)
        {
            foreach (var error in selection.Errors)
            {
                Console.Error.WriteLine($"run-bench: FAILED: {error}");
            }

            if (selection.Variants.Count == 0 && selection.Errors.Count == 0)
            {
                Console.Error.WriteLine("run-bench: FAILED: no model to benchmark");
            }

            Console.Error.WriteLine("run-bench: nothing was measured.");
            return 2;
        }

        var notes = new List<string>(selection.Notes);
        BenchContext.ForceIntraOp(parsed.ForceIntraOp);
        if (parsed.ForceIntraOp is { } forced)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"--force-intra {forced}: every session ran with {forced} intra-op thread{(forced == 1 ? string.Empty : "s")} whatever its case says (an injected regression: case names and keys keep their declared settings)"));
        }

        var types = BenchmarkTypes().Where(t => profile.Benchmarks is null || profile.Benchmarks.Contains(t.Name)).ToList();
        if (!BenchAssets.HasImages)
        {
            types.Remove(typeof(EndToEndBenchmarks));
            types.Remove(typeof(PipelinedThroughputBenchmarks));
            notes.Add($"end-to-end benchmarks skipped: no COCO JPEG in {Path.GetFullPath(BenchAssets.ImagesDir)} (set RFCNPERF_COCO to a folder holding val2017/ or keep samples/coco-val2017 beside the binaries); inference benchmarks ran on zero-filled input");
        }

        if (types.Contains(typeof(CocoEvalBenchmarks)) && CocoEvalCaseMissing() is { } missing)
        {
            types.Remove(typeof(CocoEvalBenchmarks));
            notes.Add($"COCO evaluator benchmark skipped: {missing} (set RFCNPERF_COCO_EVAL_CASES to the coco-eval-cases folder)");
        }

        if (BenchAssets.HasImages && BenchAssets.CocoNotice is { } sampleNotice)
        {
            notes.Add($"end-to-end benchmarks: {sampleNotice}");
        }

        foreach (var note in notes)
        {
            Console.WriteLine($"run-bench: NOTE: {note}");
        }

        // Under Slurm the job id is part of the name: runs started in the same second on several nodes stay apart.
        var job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } id ? $"-{Environment.MachineName}-job{id}" : string.Empty;
        var outputDir = Path.Combine(ResultsRoot(), $"{started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{profile.Name}{job}");
        Directory.CreateDirectory(outputDir);
        // One BenchmarkDotNet run per sampling: models dearer per image than the default one get fewer samples
        // (BenchProfile.SampledFor), and a job's sample count is fixed for all of its cases. The first run also holds
        // the model-free benchmarks; the models sampled in full write where a single run would, each group sampled
        // less into a folder named after its models. A listing is one call over every variant.
        var groups = listOnly ? [new SamplingGroup(selection.Variants, 1, string.Empty)] : SamplingGroups(selection.Variants);
        // The answers first: one interleaved run of comparisons per model, every session opened before timing.
        IReadOnlyList<ModelAnswers> answers = [];
        if (!listOnly && parsed.Comparisons)
        {
            BenchContext.Publish(profile, selection.Variants, outputDir);
            var seed = SplitMix64.NewSeed();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench: comparisons: seed {seed} (model k uses seed + k)"));
            answers = SweepComparisons.Run(profile, selection.Variants, BenchContext.PhysicalCores, seed, msg => Console.WriteLine($"run-bench: {msg}"));
        }
        else if (!listOnly)
        {
            notes.Add("comparisons skipped (--no-comparisons): no INT8 speed-up, best configuration or check with an interval in this run");
        }

        var summaries = new List<Summary>();
        foreach (var (index, group) in groups.Index())
        {
            var sampled = profile.SampledFor(group.RelativeCost);
            var artifacts = sampled.SampleScale < 1 ? Path.Combine(outputDir, group.Folder) : outputDir;
            if (sampled.SampleScale < 1)
            {
                var sampling = string.Create(CultureInfo.InvariantCulture,
                    $"{string.Join(", ", group.Variants.Select(v => v.Model).Distinct())}: {group.RelativeCost:F1}x the default model's operations per image, so {sampled.RealTimeIterations} samples per real-time case, {sampled.ThroughputIterations} per throughput case, {sampled.WarmupIterations} warm-up requests (profile: {profile.RealTimeIterations} / {profile.ThroughputIterations} / {profile.WarmupIterations}); BenchmarkDotNet's files and log in {group.Folder}/");
                notes.Add("sampling: " + sampling);
                Console.WriteLine($"run-bench: sampling: {sampling}");
            }

            BenchContext.Publish(profile, group.Variants, outputDir, group.RelativeCost);
            var groupTypes = index == 0 ? types : [.. types.Where(IsModelSweep)];
            summaries.AddRange(BenchmarkSwitcher.FromTypes([.. groupTypes]).Run(parsed.BenchmarkDotNetArgs, BenchConfig.Create(artifacts)));
        }
        var cases = summaries.SelectMany(s => s.Reports).Select(CaseResult.From).ToList();
        if (cases.Count == 0 && answers.Count == 0)
        {
            if (listOnly)
            {
                TryDeleteEmpty(outputDir);
                return 0;
            }

            Console.Error.WriteLine($"run-bench: FAILED: no benchmark ran (arguments: {string.Join(' ', parsed.BenchmarkDotNetArgs)}); see --list flat");
            return 1;
        }

        wall.Stop();
        var failures = BenchFailures.Read(outputDir);
        var run = new RunRecord
        {
            Profile = profile,
            CommandLine = "run-bench " + string.Join(' ', args.Length == 0 ? [profile.Name] : args),
            Machine = machine,
            OutputDir = outputDir,
            StartedUtc = started,
            WallTime = wall.Elapsed,
            LoadBefore = loadBefore,
            LoadAfter = LoadSnapshot.Read(),
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Cases = cases,
            Answers = answers,
            Variants = selection.Variants,
            Notes = notes,
            Failures = failures,
            Exports = ExportedFiles(outputDir),
        };
        var analysis = new ResultAnalysis(cases, selection.Variants);
        var answersChart = AnswersChart.Write(Charts.Directory(outputDir), answers);
        IReadOnlyList<ChartFile> charts = [.. answersChart is null ? [] : new[] { answersChart }, .. ChartWriter.Write(outputDir, analysis)];
        var summaryPath = SummaryWriter.Write(run, analysis, charts);
        RunSummaryJson.Write(run, analysis);
        PrintHeadline(run, analysis, summaryPath, charts);

        var failed = cases.Where(c => !c.Success).ToList();
        var invalid = summaries.Where(s => s.HasCriticalValidationErrors).ToList();
        if (failed.Count == 0 && invalid.Count == 0 && failures.Count == 0)
        {
            return 0;
        }

        Console.Error.WriteLine($"run-bench: FAILED: {failed.Count} of {cases.Count} cases produced no result{(invalid.Count > 0 ? $", {invalid.Count} benchmark classes failed validation" : string.Empty)}:");
        foreach (var c in failed)
        {
            Console.Error.WriteLine($"run-bench:   {c.DisplayInfo}");
        }

        foreach (var s in invalid)
        {
            foreach (var e in s.ValidationErrors.Where(e => e.IsCritical))
            {
                Console.Error.WriteLine($"run-bench:   validation: {e.Message}");
            }
        }

        foreach (var (what, reason) in failures)
        {
            Console.Error.WriteLine($"run-bench:   reason: {what}: {reason}");
        }

        if (failures.Count == 0)
        {
            Console.Error.WriteLine($"run-bench:   the reasons are in BenchmarkDotNet's logs in {outputDir} (and its <models>/ folders)");
        }

        return 1;
    }

    /// <summary>
    /// The variants split by sampling: the models whose operations per image are at most the default model's first
    /// (sampled in full), then each dearer model with its INT8 counterpart, cheapest first.
    /// </summary>
    private static IReadOnlyList<SamplingGroup> SamplingGroups(IReadOnlyList<ModelVariant> variants)
    {
        // A model whose operations are unknown (an .onnx file the estimator cannot read) is sampled in full.
        var reference = ModelCatalog.Find(ModelCatalog.DefaultModel)!.PublishedGflops;
        double Cost(ModelVariant v)
        {
            var fp32 = variants.FirstOrDefault(x => x.Model == v.Model && !x.IsInt8) ?? v;
            var ops = ModelCompute.PerImage(fp32);
            // Up to 1.5x is sampled in full: the graph's own count of the default model differs a little from the
            // published figure, and a third fewer samples is not worth a run of its own.
            return ops.IsKnown && ops.GigaOpsPerImage > 1.5 * reference ? Math.Round(ops.GigaOpsPerImage / reference, 1) : 1;
        }

        return
        [
            .. variants.GroupBy(Cost)
                .OrderBy(g => g.Key)
                .Select(g => new SamplingGroup([.. g], g.Key, string.Join('+', g.Select(v => v.Model).Distinct()))),
        ];
    }

    // The benchmarks swept over model variants, as opposed to the model-free ones (evaluator, parser).
    private static bool IsModelSweep(Type type) => typeof(ISweepCase).IsAssignableFrom(type);

    private sealed record SamplingGroup(IReadOnlyList<ModelVariant> Variants, double RelativeCost, string Folder);

    /// <summary>Every benchmark class of this assembly (public, non-abstract, with a [Benchmark] method).</summary>
    private static Type[] BenchmarkTypes() =>
    [
        .. typeof(BenchRun).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsAbstract: false, IsClass: true }
                && t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(RunOrder)
            .ThenBy(t => t.Name, StringComparer.Ordinal),
    ];

    // Latency first (the product's headline), the out-of-process single-core job last-but-one, evaluator last.
    private static int RunOrder(Type t) => t.Name switch
    {
        nameof(RealTimeBenchmarks) => 0,
        nameof(BatchThroughputBenchmarks) => 1,
        nameof(StreamsBenchmarks) => 2,
        nameof(InterOpBenchmarks) => 3,
        nameof(EndToEndBenchmarks) => 4,
        nameof(PipelinedThroughputBenchmarks) => 4,
        nameof(SessionOverheadBenchmarks) => 5,
        nameof(SessionCreationBenchmarks) => 6,
        nameof(SingleCoreBenchmarks) => 7,
        _ => 8,
    };

    // The evaluator benchmark scores the golden case large_tiled5k_36k; a user machine may not have the cases.
    private static string? CocoEvalCaseMissing()
    {
        try
        {
            var gt = Path.Combine(CocoEvalCases.Locate(), "large_tiled5k_36k", "gt.json");
            return File.Exists(gt) ? null : $"{gt} not found";
        }
        catch (DirectoryNotFoundException ex)
        {
            return ex.Message;
        }
    }

    private static string ResultsRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")))
                {
                    return Path.Combine(dir.FullName, "results");
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "results");
    }

    // BenchmarkDotNet's exports: results/ of the first run and <models>/results/ of each differently sampled one.
    private static IReadOnlyList<string> ExportedFiles(string outputDir) =>
    [
        .. Directory.EnumerateFiles(outputDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(outputDir, f).Replace('\\', '/'))
            .Where(f => f.StartsWith("results/", StringComparison.Ordinal) || f.Contains("/results/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    private static void PrintHeadline(RunRecord run, ResultAnalysis analysis, string summaryPath, IReadOnlyList<ChartFile> charts)
    {
        Console.WriteLine();
        Console.WriteLine($"run-bench: {run.Profile.Name} profile finished in {run.WallTime.TotalMinutes:F1} min; load average after: {run.LoadAfter?.ToString() ?? Md.Unknown}");
        foreach (var a in run.Answers)
        {
            if (a.Int8VsFp32 is { } int8)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench:   {a.Model,-34} INT8 speed-up   {Md.SpeedUp(int8.Ratio)} {AnswersMarkdown.Int8Verdict(int8.Ratio)}"));
            }

            foreach (var v in a.Variants)
            {
                var latency = a.BestLatency(v);
                var throughput = a.BestThroughput(v);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench:   {v,-34} best latency    {latency.Best.Label} ({Md.Ms(a.MsPerImage(latency.Best))} ms mean{(latency.Ties.Any() ? $"; ties: {string.Join("; ", latency.Ties.Select(t => t.Other.Label))}" : string.Empty)})"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench:   {v,-34} best throughput {throughput.Best.Label} ({Md.N(1000 / a.MsPerImage(throughput.Best))} images/s{(throughput.Ties.Any() ? $"; ties: {string.Join("; ", throughput.Ties.Select(t => t.Other.Label))}" : string.Empty)})"));
            }

            foreach (var (name, check) in AnswersMarkdown.Checks(a))
            {
                Console.WriteLine($"run-bench:   {a.Model,-34} check: {name}: {Md.Interval(check.Ratio)} {Md.Verdict(check.Ratio)}");
            }

            if (a.Run.Conditions.Noise.FlagText() is { } flag)
            {
                Console.WriteLine($"run-bench:   {a.Model,-34} NOISY: {flag}");
            }
        }

        foreach (var variant in run.Answers.Count > 0 ? [] : analysis.Variants)
        {
            if (analysis.BestLatency(variant) is { } latency)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench:   {variant,-34} best latency    p50 {latency.P50Ms,8:F2} ms  p99 {latency.P99Ms,8:F2} ms   [{BenchmarkKinds.Configuration(latency)}]"));
            }

            if (analysis.BestThroughput(variant) is { } throughput)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-bench:   {variant,-34} best throughput {throughput.ImagesPerSecond,8:F1} images/s             [{BenchmarkKinds.Configuration(throughput)}]"));
            }
        }

        Console.WriteLine($"run-bench: results: {run.OutputDir}");
        Console.WriteLine($"run-bench:   summary: {summaryPath}");
        Console.WriteLine($"run-bench:   charts:  {(charts.Count == 0 ? "none (the cases they plot did not run)" : string.Join(", ", charts.Select(c => c.RelativePath)))}");
        Console.WriteLine($"run-bench:   BenchmarkDotNet exports: {run.Exports.Count} files in {Path.Combine(run.OutputDir, "results")}{(run.Exports.Any(e => !e.StartsWith("results/", StringComparison.Ordinal)) ? " and <models>/results of the models sampled less" : string.Empty)}");
    }

    private static void TryDeleteEmpty(string dir)
    {
        if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
        }
    }
}
