using System.Globalization;
using System.Text;
using System.Text.Json;
using RfcnPerf.Statistics;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// <c>rfcnperf bench compare RUN_DIR...</c>: benchmark runs of several machines (or node types, or settings) side
/// by side from their summary.json: the machines, the best latency and throughput per model and precision with
/// each run's speed relative to the first, and the FP32 vs INT8 speed-up per machine; and every run against the
/// first case by case, with a ratio, its interval and a verdict (<see cref="BenchCaseVerdicts"/>); comparison.md plus charts.
/// </summary>
public static class BenchComparison
{
    /// <summary>Reads a run folder's summary.json (or the file itself).</summary>
    /// <exception cref="ReportException">Not found, unreadable, or not a benchmark summary.</exception>
    public static BenchRunSummary Read(string runDirOrFile)
    {
        var path = Directory.Exists(runDirOrFile) ? Path.Combine(runDirOrFile, BenchRunSummary.FileName) : runDirOrFile;
        if (!File.Exists(path))
        {
            throw new ReportException($"{Path.GetFullPath(path)}: not found (expected a benchmark run folder holding {BenchRunSummary.FileName}, written by run-bench since this version)");
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            using (var doc = JsonDocument.Parse(bytes))
            {
                var kind = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
                if (kind != BenchRunSummary.KindName)
                {
                    throw new ReportException($"{Path.GetFullPath(path)}: not a benchmark summary (kind '{kind ?? "none"}', expected '{BenchRunSummary.KindName}')");
                }
            }

            return JsonReportFile.Read<BenchRunSummary>(bytes)!;
        }
        catch (JsonException ex)
        {
            throw new ReportException($"{Path.GetFullPath(path)}: unreadable ({ex.Message})", ex);
        }
    }

    /// <summary>Writes comparison.md and charts/ into <paramref name="outDir"/>; returns the Markdown.</summary>
    public static string Write(IReadOnlyList<(string Source, BenchRunSummary Summary)> runs, string outDir) =>
        Compare(runs, outDir, VerdictRule.DefaultThreshold).Markdown;

    /// <summary>
    /// Writes comparison.md and charts/ into <paramref name="outDir"/>: the machines side by side and, when every run
    /// records its cases (summary.json version 2), every run against the first case by case at θ =
    /// <paramref name="threshold"/>. <paramref name="runs"/>' sources are the folders (or summary.json files) as given.
    /// </summary>
    /// <param name="runs">The runs, base first.</param>
    /// <param name="outDir">Where comparison.md and charts/ go.</param>
    /// <param name="threshold">θ of the verdicts.</param>
    /// <param name="noise">The between-run noise band to widen every case by; null estimates it from each pair's matched cases.</param>
    /// <exception cref="ReportException">Fewer than 2 runs, runs of different profiles, or raw samples missing.</exception>
    public static BenchComparisonResult Compare(IReadOnlyList<(string Source, BenchRunSummary Summary)> runs, string outDir, double threshold, NoiseBand? noise = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2)
        {
            throw new ReportException($"bench compare needs at least 2 runs, got {runs.Count}");
        }

        var labeled = runs.Select((r, i) => new LabeledBench(Letter(i), Label(i, r.Summary), r.Source, r.Summary)).ToArray();
        if (labeled.FirstOrDefault(r => r.Summary.Profile != labeled[0].Summary.Profile) is { } other)
        {
            throw new ReportException($"runs of different profiles: A ({labeled[0].Source}) ran '{labeled[0].Summary.Profile}', {other.Letter} ({other.Source}) ran '{other.Summary.Profile}'; compare runs of one profile");
        }

        var withoutCases = labeled.FirstOrDefault(r => r.Summary.RawCases is not { Count: > 0 });
        var verdicts = withoutCases is null ? BenchCaseVerdicts.Compute(labeled, threshold, noise) : null;
        Directory.CreateDirectory(outDir);
        var charts = BenchComparisonCharts.Write(outDir, labeled);
        var markdown = Markdown(labeled, charts, verdicts, threshold);
        File.WriteAllText(Path.Combine(outDir, "comparison.md"), markdown);
        return new BenchComparisonResult(
            markdown,
            verdicts?.Any(v => v.AnySlower) ?? false,
            withoutCases is null ? null : $"run {withoutCases.Letter} ({withoutCases.Source}) records no cases with raw samples (summary.json version {withoutCases.Summary.Version}; per-case verdicts need version {BenchRunSummary.CurrentVersion}, written by run-bench since this version)");
    }

    /// <summary>Model/precision rows in first-seen order over the runs.</summary>
    internal static IReadOnlyList<(string Model, string Precision)> Variants(IReadOnlyList<LabeledBench> runs, Func<BenchRunSummary, IReadOnlyList<BenchBest>> pick) =>
        [.. runs.SelectMany(r => pick(r.Summary)).Select(b => (b.Model, b.Precision)).Distinct()];

    internal static BenchBest? Find(IReadOnlyList<BenchBest> list, (string Model, string Precision) v) =>
        list.FirstOrDefault(b => b.Model == v.Model && b.Precision == v.Precision);

    private static string Markdown(IReadOnlyList<LabeledBench> runs, IReadOnlyList<ChartFile> charts, IReadOnlyList<BenchCaseVerdicts>? verdicts, double threshold)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"# Benchmark comparison: {runs.Count} runs"));
        sb.AppendLine();
        sb.AppendLine("Each run's best configurations side by side (from each run folder's summary.json). \"vs A\" is the speed relative to run A: A's time / this run's time for latency, this run's images/s / A's for throughput; above 1.00x this run is faster. Each run was measured on its own machine under its own load (listed): compare like with like.");
        sb.AppendLine();
        sb.AppendLine("## Runs");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["run", "machine", "CPUs usable", "job", "profile", "started (UTC)", "wall", "load before / after (1/5/15 min)", "cases", "folder"],
            runs.Select(r => (IReadOnlyList<string>)[
                r.Letter,
                r.Summary.MachineDescription,
                r.Summary.CpusAllowed is { } allowed ? string.Create(CultureInfo.InvariantCulture, $"{r.Summary.Cpus} ({allowed})") : r.Summary.Cpus.ToString(CultureInfo.InvariantCulture),
                JobText(r.Summary),
                r.Summary.Profile,
                r.Summary.StartedUtc,
                string.Create(CultureInfo.InvariantCulture, $"{r.Summary.WallSeconds / 60:F1} min"),
                $"{r.Summary.LoadBefore ?? Md.Unknown} → {r.Summary.LoadAfter ?? Md.Unknown}",
                string.Create(CultureInfo.InvariantCulture, $"{r.Summary.Cases - r.Summary.FailedCases} of {r.Summary.Cases}"),
                r.Source]),
            textColumns: 10));
        sb.AppendLine();
        foreach (var r in runs.Where(r => LoadOneMinute(r.Summary.LoadBefore) > r.Summary.Cpus || LoadOneMinute(r.Summary.LoadAfter) > r.Summary.Cpus))
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"**Warning, run {r.Letter}**: load average {r.Summary.LoadBefore ?? Md.Unknown} before and {r.Summary.LoadAfter ?? Md.Unknown} after, on {r.Summary.Cpus} usable CPU{(r.Summary.Cpus == 1 ? string.Empty : "s")}: other work competed for the CPUs, so its numbers measure that contention as much as the machine.");
            sb.AppendLine();
        }

        if (verdicts is not null)
        {
            BenchCaseVerdicts.Markdown(sb, verdicts, threshold);
        }

        Section(sb, runs, "Best latency (real-time: batch 1, one request in flight; lowest median)", s => s.BestLatency,
            b => b.P50Ms, Md.Ms, "p50 ms", (a, x) => a / x, b => $"p50 {Md.Ms(b.P50Ms)}, p99 {Md.Ms(b.P99Ms)} ms");
        Section(sb, runs, "Best throughput (any batch size, stream count and thread setting; highest images/s)", s => s.BestThroughput,
            b => b.ImagesPerSecond, Md.N1, "images/s", (a, x) => x / a, b => $"{Md.N1(b.ImagesPerSecond)} images/s");

        sb.AppendLine("## FP32 vs INT8 per machine");
        sb.AppendLine();
        var models = runs.SelectMany(r => r.Summary.Int8SpeedUps.Select(s => s.Model)).Distinct().ToArray();
        if (models.Length == 0)
        {
            sb.AppendLine("No run measured a model in both precisions.");
        }
        else
        {
            sb.AppendLine("INT8 speed-up = FP32 mean time / INT8 mean time over the inference measurements made in both precisions (geometric mean; lowest and highest in brackets). Above 1.00x INT8 is faster on that machine.");
            if (runs.Any(r => r.Summary.Comparisons is not null))
            {
                sb.AppendLine("For runs that made paired comparisons (summary.json version 2) it is the paired speed-up at the default configuration, with the ends of its 95% interval in brackets and the paired rounds as measurements.");
            }

            sb.AppendLine();
            sb.Append(Md.Table(
                ["model", .. runs.Select(r => $"{r.Letter}: INT8 speed-up")],
                models.Select(m => (IReadOnlyList<string>)[m, .. runs.Select(r => r.Summary.Int8SpeedUps.FirstOrDefault(s => s.Model == m) is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"{Md.Times(s.GeometricMean)} ({Md.Times(s.Min)} to {Md.Times(s.Max)}, {s.Measurements} measurements)")
                    : "not measured")])));
        }

        sb.AppendLine();
        sb.AppendLine("## Charts");
        sb.AppendLine();
        foreach (var chart in charts)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"![{chart.Title}]({chart.RelativePath})");
            sb.AppendLine();
        }

        sb.AppendLine("## Machines in full");
        sb.AppendLine();
        var keys = runs.SelectMany(r => r.Summary.Machine.Select(kv => kv.Key)).Distinct().ToArray();
        sb.Append(Md.Table(
            ["", .. runs.Select(r => r.Label)],
            keys.Select(k => (IReadOnlyList<string>)[k, .. runs.Select(r => r.Summary.Machine.FirstOrDefault(kv => kv.Key == k).Value ?? Md.Unknown)]),
            textColumns: runs.Count + 1));
        return sb.ToString();
    }

    private static void Section(
        StringBuilder sb,
        IReadOnlyList<LabeledBench> runs,
        string heading,
        Func<BenchRunSummary, IReadOnlyList<BenchBest>> pick,
        Func<BenchBest, double> value,
        Func<double, string> format,
        string unit,
        Func<double, double, double> speedVsA,
        Func<BenchBest, string> headline)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"## {heading}");
        sb.AppendLine();
        var variants = Variants(runs, pick);
        if (variants.Count == 0)
        {
            sb.AppendLine("No run measured this.");
            sb.AppendLine();
            return;
        }

        var header = new List<string> { "model", "precision" };
        foreach (var r in runs)
        {
            header.Add($"{r.Letter} {unit}");
            if (r != runs[0])
            {
                header.Add($"{r.Letter} vs A");
            }
        }

        header.Add("fastest");
        var rows = new List<IReadOnlyList<string>>();
        var configs = new List<IReadOnlyList<string>>();
        foreach (var v in variants)
        {
            var row = new List<string> { v.Model, v.Precision };
            var a = Find(pick(runs[0].Summary), v);
            foreach (var r in runs)
            {
                var b = Find(pick(r.Summary), v);
                row.Add(b is null ? "not measured" : format(value(b)));
                if (r != runs[0])
                {
                    row.Add(a is null || b is null ? Md.Unknown : Md.Times(speedVsA(value(a), value(b))));
                }

                configs.Add([r.Letter, v.Model, v.Precision, b is null ? "not measured" : $"{b.Configuration} ({headline(b)})"]);
            }

            var measured = runs.Select(r => (r.Letter, Best: Find(pick(r.Summary), v))).Where(t => t.Best is not null).ToArray();
            var fastest = measured.MaxBy(t => speedVsA(1, value(t.Best!)));
            row.Add(measured.Length > 1 ? fastest.Letter : Md.Unknown);
            rows.Add(row);
        }

        sb.Append(Md.Table(header, rows, textColumns: 2));
        sb.AppendLine();
        sb.AppendLine("Configurations:");
        sb.AppendLine();
        sb.Append(Md.Table(["run", "model", "precision", "best configuration"], configs, textColumns: 4));
        sb.AppendLine();
    }

    /// <summary>The 1-minute figure of a <c>1 / 5 / 15</c> load string; 0 when unknown.</summary>
    private static double LoadOneMinute(string? load) =>
        load is not null && double.TryParse(load.Split('/')[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static string JobText(BenchRunSummary s) =>
        s.Job.TryGetValue("SLURM_JOB_ID", out var id)
            ? $"Slurm job {id} on {s.Job.GetValueOrDefault("SLURMD_NODENAME", s.Host)}{(s.Job.TryGetValue("SLURM_CPUS_PER_TASK", out var c) ? $", -c {c}" : string.Empty)}"
            : $"{s.Host} (no scheduler)";

    private static string Letter(int i) => ((char)('A' + (i % 26))).ToString();

    private static string Label(int i, BenchRunSummary s) =>
        string.Create(CultureInfo.InvariantCulture, $"{Letter(i)}: {s.Host}, {s.Cpus} CPU{(s.Cpus == 1 ? string.Empty : "s")}{(s.Job.TryGetValue("SLURM_JOB_ID", out var id) ? $", job {id}" : string.Empty)}");
}
