using System.Globalization;
using System.Text;
using RfcnPerf.Onnx;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>Builds report.md: the answer first (what INT8 costs in AP and buys in latency), then the evidence.</summary>
internal static class ReportMarkdown
{
    public static string Build(
        AccuracyReport report,
        IReadOnlyList<LabeledRun> runs,
        IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs,
        IReadOnlyList<ChartFile> charts,
        IReadOnlyList<ExampleImage> examples,
        string outDir,
        ReportDiagnostics? diagnostics = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var precisionPairs = RunPairing.ArePrecisionPairs(pairs);
        var sb = new StringBuilder();
        sb.Append("# Accuracy report: ").AppendJoin(", ", runs.Select(r => r.Label)).Append("\n\n");
        sb.Append(inv, $"Written {report.CreatedUtc} by `{report.CommandLine ?? "rfcnperf eval run"}`.\n\n");

        sb.Append("## Answer\n\n");
        if (pairs.Count > 0)
        {
            foreach (var line in ComparisonTables.Verdicts(pairs))
            {
                sb.Append("- ").Append(line).Append('\n');
            }

            foreach (var (baseline, candidate) in pairs)
            {
                // The explanation is the quantization format's (read from the file), never one written for a model.
                if (Enum.TryParse<QuantizationFormat>(candidate.Run.Model.Quantization, out var format) && format.Describe() is { } how
                    && RunComparison.Of(baseline, candidate).InferenceP50Ratio > 1)
                {
                    sb.Append("- ").Append(inv, $"{candidate.Label} is slower than its FP32 model on this CPU. It is quantized in {how} (see {DocLink.To("INT8.md", outDir)}). ")
                        .Append("The AP cost above is still the cost of this quantization.\n");
                }
            }
        }

        foreach (var r in runs.Where(r => pairs.All(p => p.Baseline != r && p.Candidate != r) || !precisionPairs))
        {
            sb.Append("- ").Append(inv, $"**{r.Label}** ({r.Run.Model.PrecisionLabel}): AP {Md.Stat(r.Run.AP)}");
            if (r.Run.Latency is { } l)
            {
                sb.Append(inv, $", model call p50 {Md.Ms(l.Inference.P50Ms)} ms, {Md.N1(l.EndToEndImagesPerSecond)} images/s end to end");
            }

            sb.Append(".\n");
        }

        foreach (var skipped in report.Skipped)
        {
            sb.Append("- ").Append(skipped).Append('\n');
        }

        sb.Append('\n');
        AppendData(sb, report, runs);

        sb.Append("## Machine\n\n");
        sb.Append(Md.Table(["", ""], report.Machine.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]), textColumns: 2)).Append('\n');
        var settings = runs.Select(r => r.Run.Latency?.Settings).OfType<string>().Distinct().ToArray();
        var batches = runs.Select(r => r.Run.Latency?.Batch).OfType<int>().Distinct().ToArray();
        sb.Append(inv, $"ONNX Runtime session: `{string.Join("`, `", settings)}` (intra 0 = one thread per physical core, ORT's default), batch {string.Join("/", batches)}, ")
            .Append("CPU execution provider, graph optimisation level all; the same for every model. Models ran one after another, never at the same time.\n\n");

        sb.Append("## Models\n\n").Append(ComparisonTables.Models(runs)).Append('\n');
        sb.Append("*GFLOPs: our estimate from static shape inference (`rfcnperf model info`), 2 x multiply-adds per image, integer ops counted alike for INT8.");
        var published = runs.Where(r => r.Run.Model.PublishedApPercent is not null && r.Run.Model.Precision != ModelPrecision.INT8).ToArray();
        if (published.Length > 0)
        {
            sb.Append(" Published COCO val2017 AP@[.50:.95] of the FP32 models, for reference (whole val2017, the authors' pipelines): ")
                .AppendJoin(", ", published.Select(r => string.Create(inv, $"{r.Label} {r.Run.Model.PublishedApPercent:0.0}")))
                .Append('.');
            foreach (var note in published.Select(r => r.Run.Model.Note).OfType<string>().Distinct())
            {
                sb.Append(' ').Append(note);
            }
        }

        sb.Append("\n\n");

        sb.Append("## COCO stats\n\n");
        sb.Append(pairs.Count == 0 ? string.Empty : precisionPairs ? "\u0394 columns: INT8 minus its FP32 model (relative change in brackets).\n\n" : "\u0394 columns: each model minus the first.\n\n");
        sb.Append(ComparisonTables.Stats(runs, pairs)).Append('\n');
        sb.Append("Each model's numbers come from scoring its saved results file with our COCOeval port (bit-exact with pycocotools); ")
            .Append("`rfcnperf eval score` prints the same 12 lines:\n\n```\n");
        foreach (var r in runs)
        {
            sb.Append(ScoreCommand(r.Run, outDir)).Append('\n');
        }

        sb.Append("```\n\n");
        AppendChart(sb, charts, "ap-per-model.png");

        sb.Append("## Latency and throughput (the same detection passes)\n\n");
        sb.Append("Per request, in milliseconds; the first run of each session (warm-up) is excluded. Run = the ONNX Runtime call alone; ")
            .Append("e2e = decode + pre-process + Run + post-process (NMS) of one request. With the pipelined runner (the default; settings end in \"pipelined runner\") ")
            .Append("decoding and pre-processing of the next images overlap the model call, so e2e is the request's work and e2e images/s = images / wall time; ")
            .Append("with `--sequential` one request at a time, e2e is its latency and images/s = images / sum of steady request times.\n\n");
        sb.Append(ComparisonTables.Latency(runs)).Append('\n');
        var loads = report.Machine.Where(kv => kv.Key.StartsWith("Load average", StringComparison.Ordinal))
            .Select(kv => double.TryParse(kv.Value.Split(' ')[0], NumberStyles.Float, inv, out var v) ? v : 0).ToArray();
        if (loads.Length > 0 && loads.Max() > Environment.ProcessorCount * 0.5)
        {
            sb.Append(inv, $"Note: the 1-minute load average reached {loads.Max():0.00} on {Environment.ProcessorCount} logical CPUs (at the start or the end of the run, see Machine): other processes competed for the cores, which inflates the times, the tails (p99) most. Ratios between models measured in the same run are more trustworthy than the absolute times; `rfcnperf eval compare` puts runs from a quiet machine side by side.\n\n");
        }

        foreach (var r in runs.Where(r => r.Run.Latency is not null))
        {
            var l = r.Run.Latency!;
            sb.Append(inv, $"- {r.Label}: {l.Requests} steady requests, {l.WarmupRequests} warm-up excluded; stage means per request: decode {Md.Ms(l.StageMeansMs[0])}, pre-process {Md.Ms(l.StageMeansMs[1])}, Run {Md.Ms(l.StageMeansMs[2])}, post-process {Md.Ms(l.StageMeansMs[3])} ms; session created in {l.SessionCreationMs:0} ms.\n");
        }

        sb.Append('\n');
        AppendChart(sb, charts, "ap-vs-latency.png");

        sb.Append("## Precision-recall\n\n");
        sb.Append("From COCOeval.accumulate's precision array at area \"all\" and maxDets 100: at each recall threshold, the mean precision over the classes with ground truth ")
            .Append("(the mean of a curve is the AP50 or AP75 of the stats table). Solid: IoU 0.50, dashed: IoU 0.75.\n\n");
        AppendChart(sb, charts, "precision-recall.png");

        sb.Append("## Per-class AP\n\n");
        foreach (var (baseline, candidate) in pairs)
        {
            sb.Append(inv, $"### {candidate.Label} vs {baseline.Label}\n\n");
            sb.Append(ComparisonTables.LossGainCounts(baseline, candidate)).Append(".\n\n**The classes that lost most.** ");
            sb.Append(ComparisonTables.TopLosses(baseline, candidate)).Append('\n');
            sb.Append("Classes with few instances in the evaluated images swing a lot from a handful of boxes; read small deltas as noise.\n\n");
            AppendChart(sb, charts, $"per-class-ap-delta-{ReportCharts.Slug(candidate.Label)}.png");
        }

        sb.Append("<details><summary>AP@[.50:.95] per class, every model</summary>\n\n");
        sb.Append(ComparisonTables.PerClass(runs, pairs)).Append("\n</details>\n\n");

        if (diagnostics is not null)
        {
            sb.Append(DiagnosticsMarkdown.Build(diagnostics, charts));
        }

        if (examples.Count > 0)
        {
            sb.Append(ExamplesMarkdown(examples, runs, diagnostics));
        }

        sb.Append("## Files\n\n");
        sb.Append("- `report.json`: every number of this report (stats as exact doubles, per-class AP, curves, latency); `rfcnperf eval compare` reads it.\n");
        foreach (var r in runs)
        {
            sb.Append(inv, $"- `{r.Run.Model.Name}/{r.Run.ResultsFile}` ({r.Run.Detections} detections, COCO results format), `{r.Run.Model.Name}/run.json`\n");
        }

        sb.Append("- `charts/*.png`").Append(examples.Count > 0 ? ", `examples/*.png`" : string.Empty).Append("\n\n");

        sb.Append("## Time taken\n\n");
        foreach (var r in runs)
        {
            sb.Append(inv, $"- {r.Label}: detection {r.Run.DetectSeconds:0.0} s")
                .Append(r.Run.ResumedImages > 0 ? string.Create(inv, $" (resumed: {r.Run.ResumedImages} images restored from a checkpoint)") : string.Empty)
                .Append(inv, $", scoring {r.Run.EvaluateSeconds:0.0} s\n");
        }

        sb.Append(inv, $"- whole command (this process): {report.WallSeconds:0.0} s\n");
        return sb.ToString();
    }

    /// <summary>The examples section: the images where the pairs disagree most, or images spread over the list.</summary>
    internal static string ExamplesMarkdown(IReadOnlyList<ExampleImage> examples, IReadOnlyList<LabeledRun> runs, ReportDiagnostics? diagnostics)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("## Examples\n\n");
        if (diagnostics is { Pairs.Count: > 0 } d && examples.All(e => e.PairCounts.Count == d.Pairs.Count))
        {
            sb.Append(inv, $"The {examples.Count} images where the compared models disagree most (most lost, gained and relabelled boxes, then moved ones). ")
                .Append("One row per pair: the ground truth, the baseline's boxes (lost ones outlined in red) and the other model's (gained in blue, relabelled in orange), ")
                .Append("each scoring at least the pair's \u03c4.\n\n");
            foreach (var e in examples)
            {
                sb.Append(inv, $"**{e.FileName}** (image {e.ImageId}): ")
                    .AppendJoin("; ", d.Pairs.Select((p, i) => string.Create(inv,
                        $"{p.Candidate} vs {p.Baseline}: {e.PairCounts[i].Lost} lost, {e.PairCounts[i].Gained} gained, {e.PairCounts[i].Relabelled} relabelled, {e.PairCounts[i].Moved} moved, {e.PairCounts[i].Kept} kept")))
                    .Append("\n\n")
                    .Append(inv, $"![{e.FileName}]({e.RelativePath})\n\n");
            }

            return sb.ToString();
        }

        sb.Append(inv, $"{examples.Count} images spread evenly over the processed list (not chosen by outcome); each model's detections with score \u2265 {SideBySideVisualizer.MinScore:0.0}, one panel per model.\n\n");
        foreach (var e in examples)
        {
            sb.Append(inv, $"**{e.FileName}** (image {e.ImageId}): ")
                .AppendJoin(", ", runs.Select((r, i) => $"{r.Label} {e.Counts[i]}"))
                .Append(" detections\n\n")
                .Append(inv, $"![{e.FileName}]({e.RelativePath})\n\n");
        }

        return sb.ToString();
    }

    /// <summary>The eval score command that reproduces a run's stats from its saved results file.</summary>
    internal static string ScoreCommand(ModelRun run, string outDir)
    {
        var results = Path.Combine(Path.GetFullPath(outDir), run.Model.Name, run.ResultsFile);
        var ids = run.EvaluatedImageIds is { } list ? " --img-ids " + string.Join(',', list.Select(i => i.ToString(CultureInfo.InvariantCulture))) : string.Empty;
        if (ids.Length > 200)
        {
            ids = " --img-ids <the evaluatedImageIds of run.json>";
        }

        return $"rfcnperf eval score --annotations {run.Annotations} --results {results}{ids}";
    }

    private static void AppendData(StringBuilder sb, AccuracyReport report, IReadOnlyList<LabeledRun> runs)
    {
        var d = report.Data;
        sb.Append("## Data\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Ground truth `{d.Annotations}` ({d.GroundTruthImages} images), images from `{d.ImagesDir}`. ");
        if (d.Restricted)
        {
            sb.Append(CultureInfo.InvariantCulture, $"**{d.Images} of the {d.GroundTruthImages} images were processed**")
                .Append(d.Shard is { } s ? $" (shard {s})" : string.Empty)
                .Append(d.Limit is { } l ? string.Create(CultureInfo.InvariantCulture, $" (--limit {l})") : string.Empty)
                .Append(", and every model is scored on those images only (COCOeval params.imgIds), not on the whole ground truth.\n\n");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"All {d.Images} images were processed and scored.\n\n");
        }

        foreach (var r in runs.Where(r => r.Run.BadImages.Count > 0))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Label}: {r.Run.BadImages.Count} unreadable images skipped (their ground truth counts as missed): {string.Join("; ", r.Run.BadImages)}\n\n");
        }
    }

    internal static void AppendChart(StringBuilder sb, IReadOnlyList<ChartFile> charts, string fileName)
    {
        if (charts.FirstOrDefault(c => c.RelativePath.EndsWith("/" + fileName, StringComparison.Ordinal)) is { } chart)
        {
            sb.Append("![").Append(chart.Title).Append("](").Append(chart.RelativePath).Append(")\n\n");
        }
    }
}
