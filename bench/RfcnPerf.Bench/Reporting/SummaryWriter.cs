using System.Globalization;
using System.Text;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core;
using RfcnPerf.Onnx;
using RfcnPerf.Reporting;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// Writes <c>summary.md</c>, the file a person reads first: machine, load, best configurations for latency and
/// throughput, FP32 vs INT8, the cost outside the model, RfcnPerf's overhead over bare ORT, session creation,
/// charts, and links to BenchmarkDotNet's own exports.
/// </summary>
internal static class SummaryWriter
{
    /// <summary>Writes the summary and returns its path.</summary>
    public static string Write(RunRecord run, ResultAnalysis analysis, IReadOnlyList<ChartFile> charts)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var ok = run.Cases.Count(c => c.Success);
        var failed = run.Cases.Count - ok;
        sb.AppendLine(inv, $"# RfcnPerf benchmark: `{run.Profile.Name}` profile, {run.StartedUtc:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine(inv, $"Profile `{run.Profile.Name}`: {run.Profile.Description}. Open this file first; the charts are below, BenchmarkDotNet's own tables under Files.");
        sb.AppendLine();
        sb.AppendLine(inv, $"- **Result**: {ok} of {run.Cases.Count} cases measured{(failed > 0 || run.Failures.Count > 0 ? $", **{Math.Max(failed, run.Failures.Count)} FAILED** (see Failures below)" : ", none failed")}.");
        sb.AppendLine(inv, $"- **Wall time**: {FormatDuration(run.WallTime)} (`{run.CommandLine}`).");
        sb.AppendLine(string.Create(inv, $"- **Machine load** (load average 1/5/15 min, {run.Machine.LogicalProcessors} logical CPUs): {run.LoadBefore?.ToString() ?? Md.Unknown} before, {run.LoadAfter?.ToString() ?? Md.Unknown} after (the run itself adds up to {run.Machine.PhysicalCores}). ") +
            "The machine is shared: compare configurations as ratios within this run, not with other runs.");
        sb.AppendLine(string.Create(inv, $"- **Peak RSS** of the benchmark process (all in-process cases; ONNX Runtime's arena never returns memory): {run.PeakWorkingSetBytes / (1024.0 * 1024):F0} MiB."));
        sb.AppendLine("- **How to read**: one sample = one request (batch-1 or batch-N call; with several streams, one round in which every stream completes a request). " +
            "Percentiles are per request, warm-up requests excluded, outliers kept. images/s = batch x streams / mean. GFLOP/s = model operations per image x images/s.");
        sb.AppendLine();

        sb.AppendLine("## Machine");
        sb.AppendLine();
        var peakNote = string.Create(inv, $"{Md.N(MachinePeak.Fp32Gflops ?? double.NaN)} GFLOP/s FP32, {Md.N(MachinePeak.Int8Gops ?? double.NaN)} GOP/s INT8, all cores; source: {MachinePeak.Source}");
        var bandwidthNote = string.Create(inv, $"{Md.N(MachinePeak.InForce.TriadGBps ?? double.NaN)} GB/s all cores, {Md.N(MachinePeak.InForce.Measured.TriadGBpsOneCore ?? double.NaN)} GB/s one core (STREAM triad)");
        sb.Append(Md.Table(["", ""], [.. run.Machine.Rows().Select(r => (IReadOnlyList<string>)[r.Name, r.Value]), ["Peak", peakNote], ["Memory bandwidth", bandwidthNote], ["Roofline", RooflineChart.Method]], textColumns: 2));
        sb.AppendLine();

        WriteBest(sb, run, analysis);
        WritePrecision(sb, analysis, run.OutputDir);
        WriteStages(sb, analysis);
        WritePipelining(sb, analysis);
        WriteOverhead(sb, analysis);
        WriteCreation(sb, analysis);
        WriteStreams(sb, analysis);
        WriteOthers(sb, analysis);

        sb.AppendLine("## Charts");
        sb.AppendLine();
        if (charts.Count == 0)
        {
            sb.AppendLine("No chart: the cases they plot did not run (see the profile and filters).");
            sb.AppendLine();
        }

        foreach (var chart in charts)
        {
            sb.AppendLine(inv, $"### {chart.Title}");
            sb.AppendLine();
            sb.AppendLine(inv, $"![{chart.Title}]({chart.RelativePath})");
            sb.AppendLine();
        }

        WriteFailures(sb, run);

        sb.AppendLine("## Profile");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Models: {string.Join(", ", run.Variants.Select(v => $"`{v}`"))}. FLOPs per image: ") +
            string.Join("; ", run.Variants.Select(v => ModelCompute.PerImage(v)).Select((f, i) => $"{run.Variants[i]}: {Md.N(f.GigaOpsPerImage)} G ({f.Source})")) + ".");
        sb.AppendLine();
        foreach (var note in run.Notes)
        {
            sb.AppendLine(inv, $"- Note: {note}");
        }

        foreach (var trimmed in run.Profile.Trimmed)
        {
            sb.AppendLine(inv, $"- Trimmed: {trimmed}");
        }

        sb.AppendLine();
        sb.AppendLine("## Files");
        sb.AppendLine();
        sb.AppendLine("BenchmarkDotNet's own exports, one set per benchmark class (GitHub Markdown, CSV, full JSON with every measurement):");
        sb.AppendLine();
        foreach (var file in run.Exports)
        {
            sb.AppendLine(inv, $"- [{file}]({file.Replace(" ", "%20", StringComparison.Ordinal)})");
        }

        var path = Path.Combine(run.OutputDir, "summary.md");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static void WriteBest(StringBuilder sb, RunRecord run, ResultAnalysis analysis)
    {
        sb.AppendLine("## Best configurations");
        sb.AppendLine();
        sb.AppendLine("**Latency** (real-time mode: batch 1, one request in flight; lowest median):");
        sb.AppendLine();
        var latency = analysis.Variants.Select(v => (v, c: analysis.BestLatency(v))).Where(t => t.c is not null).ToList();
        sb.Append(Md.Table(
            ["model", "precision", "configuration", "p50 ms", "p90 ms", "p99 ms", "mean ms", "images/s", "GFLOP/s", "% peak"],
            latency.Select(t => (IReadOnlyList<string>)[t.v.Model, t.v.Precision, BenchmarkKinds.Configuration(t.c!), Md.N(t.c!.P50Ms), Md.N(t.c.P90Ms), Md.N(t.c.P99Ms), Md.N(t.c.MeanMs), Md.N(t.c.ImagesPerSecond), Md.N(t.c.AchievedGops), Md.Percent(t.c.PeakPercent / 100)]), textColumns: 3));
        sb.AppendLine();
        sb.AppendLine("**Throughput** (highest images/s over every batch size, stream count and thread setting):");
        sb.AppendLine();
        var throughput = analysis.Variants.Select(v => (v, c: analysis.BestThroughput(v))).Where(t => t.c is not null).ToList();
        sb.Append(Md.Table(
            ["model", "precision", "configuration", "images/s", "ms/image", "p50 ms per request", "p99 ms per request", "GFLOP/s", "% peak"],
            throughput.Select(t => (IReadOnlyList<string>)[t.v.Model, t.v.Precision, BenchmarkKinds.Configuration(t.c!), Md.N(t.c!.ImagesPerSecond), Md.N(t.c.MsPerImage), Md.N(t.c.P50Ms), Md.N(t.c.P99Ms), Md.N(t.c.AchievedGops), Md.Percent(t.c.PeakPercent / 100)]), textColumns: 3));
        sb.AppendLine();
        if (latency.Count == 0 && throughput.Count == 0)
        {
            sb.AppendLine("No inference case succeeded.");
            sb.AppendLine();
        }
    }

    private static void WritePrecision(StringBuilder sb, ResultAnalysis analysis, string outputDir)
    {
        sb.AppendLine("## FP32 vs INT8");
        sb.AppendLine();
        var pairs = analysis.PrecisionPairs();
        if (pairs.Count == 0)
        {
            sb.AppendLine("No FP32/INT8 pair was measured (see Notes under Profile).");
            sb.AppendLine();
            return;
        }

        sb.AppendLine("Same model, same measurement, both precisions. Speed-up = FP32 mean time / INT8 mean time: above 1.00x INT8 is faster, below it INT8 is slower.");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "measurement", "method", "FP32 p50 ms", "INT8 p50 ms", "FP32 images/s", "INT8 images/s", "INT8 speed-up"],
            pairs.Select(p => (IReadOnlyList<string>)[p.Fp32.Variant!.Model, BenchmarkKinds.Configuration(p.Fp32), p.Fp32.MethodTitle.Trim('\''), Md.N(p.Fp32.P50Ms), Md.N(p.Int8.P50Ms), Md.N(p.Fp32.ImagesPerSecond), Md.N(p.Int8.ImagesPerSecond), Md.Times(p.SpeedUp)]), textColumns: 3));
        sb.AppendLine();
        var inference = pairs.Where(p => p.Fp32.IsInference).ToList();
        if (inference.Count > 0)
        {
            var geo = Math.Exp(inference.Average(p => Math.Log(p.SpeedUp)));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Geometric mean INT8 speed-up over the {inference.Count} inference measurements: **{Md.Times(geo)}**. ") +
                (geo < 1 ? "INT8 is slower here." + QuantizationNotes(inference, outputDir) : "INT8 is faster here."));
            sb.AppendLine();
        }
    }

    private static void WriteStages(StringBuilder sb, ResultAnalysis analysis)
    {
        var stages = analysis.Stages();
        if (stages.Count == 0)
        {
            return;
        }

        sb.AppendLine("## Cost outside the model (end to end on real COCO images, batch 1)");
        sb.AppendLine();
        sb.AppendLine("Each stage measured on its own (means, ms per image); `end to end` runs them in a row: JPEG file to detections in original pixels.");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "JPEG decode", "pre-process", "inference", "post-process", "end to end", "end-to-end p50", "outside the model"],
            stages.Select(s => (IReadOnlyList<string>)[s.Variant.Model, s.Variant.Precision, Md.N(s.DecodeMs), Md.N(s.PreprocessMs), Md.N(s.InferenceMs), Md.N(s.PostprocessMs), Md.N(s.EndToEndMs), Md.N(s.EndToEndP50Ms), Md.Percent(s.OutsideModelShare)]), textColumns: 2));
        sb.AppendLine();
    }

    private static void WritePipelining(StringBuilder sb, ResultAnalysis analysis)
    {
        var rows = analysis.Pipelining();
        if (rows.Count == 0)
        {
            return;
        }

        sb.AppendLine("## End to end against the model call (pipelined runner)");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Passes of {PipelinedThroughputBenchmarks.ImagesPerInvocation} COCO JPEGs to detections, batch 1, on one session with the same settings ({rows[0].ModelCall.Point.Describe()}): every stage in series (sequential runner), and decode + pre-process of the next image overlapping the model call (pipelined runner, what `detect` and `eval run` use), against the model call alone as many times. Kept = model-call images/s share reached end to end (1.00: the model call is the only cost left)."));
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "model call images/s", "sequential images/s", "pipelined images/s", "kept, sequential", "kept, pipelined"],
            rows.Select(r => (IReadOnlyList<string>)[r.Variant.Model, r.Variant.Precision, Md.N(r.ModelCall.ImagesPerSecond), Md.N(r.Sequential?.ImagesPerSecond ?? double.NaN), Md.N(r.Pipelined?.ImagesPerSecond ?? double.NaN),
                Md.F(r.ModelCall.MeanMs / (r.Sequential?.MeanMs ?? double.NaN), 2), Md.F(r.ModelCall.MeanMs / (r.Pipelined?.MeanMs ?? double.NaN), 2)]), textColumns: 2));
        sb.AppendLine();
    }

    private static void WriteOverhead(StringBuilder sb, ResultAnalysis analysis)
    {
        var rows = analysis.Overhead();
        if (rows.Count == 0)
        {
            return;
        }

        sb.AppendLine("## RfcnPerf's session against a bare InferenceSession.Run loop");
        sb.AppendLine();
        sb.AppendLine("Same model, options and input, both sessions in one process; the ratio of medians should be 1.00 within noise.");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "bare Run p50 ms", "DetectorStream.Run p50 ms", "ratio of medians", "ratio of means"],
            rows.Select(r => (IReadOnlyList<string>)[r.Variant.Model, r.Variant.Precision, Md.N(r.Bare.P50Ms), Md.N(r.Detector.P50Ms), Md.F(r.Detector.P50Ms / r.Bare.P50Ms, 3), Md.F(r.Detector.MeanMs / r.Bare.MeanMs, 3)]), textColumns: 2));
        sb.AppendLine();
    }

    private static void WriteCreation(StringBuilder sb, ResultAnalysis analysis)
    {
        var rows = analysis.Creation();
        if (rows.Count == 0)
        {
            return;
        }

        sb.AppendLine("## Session creation and first inference (reported apart from steady state)");
        sb.AppendLine();
        sb.AppendLine("Each sample opens a new session; `first run` is the first request on a fresh session (opened outside the measurement), against the steady-state median of the same configuration.");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "open session ms (median)", "first run ms (median)", "steady-state p50 ms", "first run / steady state"],
            rows.Select(r =>
            {
                var steady = analysis.Of(nameof(RealTimeBenchmarks)).FirstOrDefault(c => c.Variant == r.Variant && c.Point == SweepPoint.Default);
                var steadyMs = steady?.P50Ms ?? double.NaN;
                return (IReadOnlyList<string>)[r.Variant.Model, r.Variant.Precision, Md.N(r.Open.P50Ms), Md.N(r.FirstRun.P50Ms), Md.N(steadyMs), Md.Times(r.FirstRun.P50Ms / steadyMs)];
            }), textColumns: 2));
        sb.AppendLine();
    }

    private static void WriteStreams(StringBuilder sb, ResultAnalysis analysis)
    {
        var cases = analysis.Of(nameof(StreamsBenchmarks)).Concat(analysis.Of(nameof(InterOpBenchmarks))).Concat(analysis.Of(nameof(SingleCoreBenchmarks))).ToList();
        if (cases.Count == 0)
        {
            return;
        }

        sb.AppendLine("## Streams, inter-op threads and the single-core job");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "configuration", "p50 ms per request", "p99 ms per request", "images/s"],
            cases.OrderBy(c => analysis.Variants.ToList().IndexOf(c.Variant!)).Select(c => (IReadOnlyList<string>)[c.Variant!.Model, c.Variant.Precision, BenchmarkKinds.Configuration(c), Md.N(c.P50Ms), Md.N(c.P99Ms), Md.N(c.ImagesPerSecond)]), textColumns: 3));
        sb.AppendLine();
    }

    // Benchmarks that are not sweep cases (the COCO evaluator on large_tiled5k_36k, and any class added later).
    private static void WriteOthers(StringBuilder sb, ResultAnalysis analysis)
    {
        var others = analysis.Cases.Where(c => c.Success && c.Variant is null).ToList();
        if (others.Count == 0)
        {
            return;
        }

        sb.AppendLine("## Other benchmarks");
        sb.AppendLine();
        if (others.Any(c => c.Benchmark == nameof(CocoEvalBenchmarks)))
        {
            sb.AppendLine("CocoEvalBenchmarks: the COCO evaluator on the val2017-sized golden case `large_tiled5k_36k` (5,000 images, 36,241 GT, 40,627 detections); for scale, pycocotools needs about 10 s and faster-coco-eval about 3.4 s for load + evaluate + accumulate + summarize on this machine (coco-eval-cases/README.md).");
            sb.AppendLine();
        }

        sb.Append(Md.Table(
            ["benchmark", "method", "parameters", "job", "mean ms", "p50 ms", "min ms", "p99 ms", "samples"],
            others.Select(c => (IReadOnlyList<string>)[c.Benchmark, c.MethodTitle.Trim('\''), c.Parameters, c.Job, Md.N(c.MeanMs), Md.N(c.P50Ms), Md.N(c.MinMs), Md.N(c.P99Ms), c.SamplesMs.Count.ToString(CultureInfo.InvariantCulture)]),
            textColumns: 4));
        sb.AppendLine();
    }

    private static void WriteFailures(StringBuilder sb, RunRecord run)
    {
        var failedCases = run.Cases.Where(c => !c.Success).ToList();
        if (failedCases.Count == 0 && run.Failures.Count == 0)
        {
            return;
        }

        sb.AppendLine("## Failures");
        sb.AppendLine();
        foreach (var c in failedCases)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- FAILED `{c.DisplayInfo}`");
        }

        foreach (var (what, reason) in run.Failures)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {what}: {reason}");
        }

        sb.AppendLine();
    }

    private static string FormatDuration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min {t.Seconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds} s");

    // How each INT8 model of the comparison is quantized, from its file (the format's facts, not a sentence per model).
    private static string QuantizationNotes(IEnumerable<PrecisionPair> pairs, string outputDir)
    {
        var sb = new StringBuilder();
        foreach (var variant in pairs.Select(p => p.Int8.Variant!).Distinct())
        {
            string path;
            try
            {
                path = BenchAssets.Model(variant);
            }
            catch (RfcnPerfException)
            {
                continue; // not on this machine (e.g. summarising copied results): nothing to read the format from
            }

            if (File.Exists(path) && Onnx.ModelInfo.Read(path).Quantization.Describe() is { } how)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {variant} is quantized in {how} (see {DocLink.To("INT8.md", outputDir)}).");
            }
        }

        return sb.ToString();
    }
}
