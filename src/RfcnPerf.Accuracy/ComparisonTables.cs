using System.Globalization;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The side-by-side tables of a report (Markdown), shared by <c>report.md</c> and <c>rfcnperf eval compare</c>:
/// models, the COCO stats with deltas (12, or 10 for keypoints), latency, per-class AP and the classes that lost most.
/// </summary>
public static class ComparisonTables
{
    // Row labels in pycocotools' terms (IoU range, area, maxDets), for the 12 stats in order.
    private static readonly string[] StatDescriptions =
    [
        "AP @[.50:.95] all", "AP @.50 all", "AP @.75 all", "AP @[.50:.95] small", "AP @[.50:.95] medium", "AP @[.50:.95] large",
        "AR @[.50:.95] all, 1 det", "AR @[.50:.95] all, 10 dets", "AR @[.50:.95] all, 100 dets", "AR @[.50:.95] small", "AR @[.50:.95] medium", "AR @[.50:.95] large",
    ];

    // The same for the 10 keypoints stats (OKS thresholds, 20 detections per image).
    private static readonly string[] KeypointStatDescriptions =
    [
        "AP @[.50:.95] all", "AP @.50 all", "AP @.75 all", "AP @[.50:.95] medium", "AP @[.50:.95] large",
        "AR @[.50:.95] all", "AR @.50 all", "AR @.75 all", "AR @[.50:.95] medium", "AR @[.50:.95] large",
    ];

    /// <summary>The models: name, precision, sha256, family, input size, GFLOPs, parameters, quantization, file size.</summary>
    public static string Models(IReadOnlyList<LabeledRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var inv = CultureInfo.InvariantCulture;
        return Md.Table(
            ["model", "precision", "sha256", "family", "input", "GFLOPs*", "parameters", "quantization", "file"],
            runs.Select(r => (IReadOnlyList<string>)
            [
                r.Label, r.Run.Model.PrecisionLabel, r.Run.Model.Sha256.Length >= 12 ? $"`{r.Run.Model.Sha256}`" : Md.Unknown, r.Run.Model.Family,
                r.Run.Model.InputSize, r.Run.Model.Gflops is { } g ? Md.F(g, 2) : Md.Unknown,
                r.Run.Model.Parameters > 0 ? Md.F(r.Run.Model.Parameters / 1e6, 2) + " M" : Md.Unknown,
                r.Run.Model.Quantization, r.Run.Model.FileBytes > 0 ? Md.N1(r.Run.Model.FileBytes / 1e6) + " MB" : Md.Unknown,
            ]),
            textColumns: 9);
    }

    /// <summary>The stats (12, or 10 for keypoints), one column per run, then one delta column per compared pair.</summary>
    public static string Stats(IReadOnlyList<LabeledRun> runs, IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs, IntervalLookup? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(pairs);
        var names = runs[0].Run.StatNames;
        var headers = new List<string> { "stat" };
        headers.AddRange(runs.Select(r => r.Label));
        headers.AddRange(pairs.Select(p => $"\u0394 {p.Candidate.Label} vs {p.Baseline.Label}"));
        var descriptions = names.Count == KeypointStatDescriptions.Length ? KeypointStatDescriptions : StatDescriptions;
        var rows = Enumerable.Range(0, names.Count).Select(i =>
        {
            var row = new List<string> { $"{names[i]} ({descriptions[i]})" };
            row.AddRange(runs.Select(r => Md.Stat(r.Run.Stats[i])));
            row.AddRange(pairs.Select(p => DeltaCell(p.Baseline.Run.Stats[i], p.Candidate.Run.Stats[i]) + IntervalText(intervals?.Invoke(p.Baseline, p.Candidate)?.Stats[i])));
            return (IReadOnlyList<string>)row;
        });
        return Md.Table(headers, rows);
    }

    /// <summary>Latency per request (ms; warm-up excluded) and images/s of the detection passes, one row per run.</summary>
    public static string Latency(IReadOnlyList<LabeledRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var timed = runs.Where(r => r.Run.Latency is not null).ToArray();
        if (timed.Length == 0)
        {
            return "No latency in these files (eval score output carries none).\n";
        }

        return Md.Table(
            ["model", "precision", "batch", "requests", "Run p50", "Run p90", "Run p99", "Run mean", "e2e p50", "e2e p90", "e2e p99", "images/s (Run)", "images/s (e2e)"],
            timed.Select(r =>
            {
                var l = r.Run.Latency!;
                return (IReadOnlyList<string>)
                [
                    r.Label, r.Run.Model.PrecisionLabel, l.Batch.ToString(CultureInfo.InvariantCulture), l.Requests.ToString(CultureInfo.InvariantCulture),
                    Md.Ms(l.Inference.P50Ms), Md.Ms(l.Inference.P90Ms), Md.Ms(l.Inference.P99Ms), Md.Ms(l.Inference.MeanMs),
                    Md.Ms(l.EndToEnd.P50Ms), Md.Ms(l.EndToEnd.P90Ms), Md.Ms(l.EndToEnd.P99Ms),
                    Md.N1(l.InferenceImagesPerSecond), Md.N1(l.EndToEndImagesPerSecond),
                ];
            }));
    }

    /// <summary>One line per compared pair: the AP change against the latency and throughput change.</summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs, IntervalLookup? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var lines = new List<string>();
        foreach (var (baseline, candidate) in pairs)
        {
            var c = RunComparison.Of(baseline, candidate);
            var line = $"**{candidate.Label} vs {baseline.Label}**: AP {Md.Stat(baseline.Run.AP)} \u2192 {Md.Stat(candidate.Run.AP)} " +
                $"({Md.Delta(c.StatDeltas[0])}{IntervalText(intervals?.Invoke(baseline, candidate)?.Stats[0])}; {Md.Change(c.ApRelativeChange)}), AP50 {Md.Delta(c.StatDeltas[1])}{IntervalText(intervals?.Invoke(baseline, candidate)?.Stats[1])}";
            if (c.InferenceP50Ratio is { } ratio && baseline.Run.Latency is { } lb && candidate.Run.Latency is { } lc)
            {
                var speed = ratio > 1 ? $"{Md.Times(ratio)} slower" : $"{Md.Times(1 / ratio)} faster";
                line += $"; model call p50 {Md.Ms(lb.Inference.P50Ms)} \u2192 {Md.Ms(lc.Inference.P50Ms)} ms ({speed}), " +
                    $"end to end {Md.N1(lb.EndToEndImagesPerSecond)} \u2192 {Md.N1(lc.EndToEndImagesPerSecond)} images/s";
            }

            lines.Add(line + ".");
        }

        return lines;
    }

    /// <summary>AP per class, one column per run, then one delta column per pair; classes without ground truth are left out.</summary>
    public static string PerClass(IReadOnlyList<LabeledRun> runs, IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs, IntervalLookup? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(pairs);
        var headers = new List<string> { "class (id)" };
        headers.AddRange(runs.Select(r => r.Label));
        headers.AddRange(pairs.Select(p => $"\u0394 {p.Candidate.Label}"));
        var maps = runs.Select(r => r.Run.PerCategory.ToDictionary(c => c.CategoryId)).ToArray();
        var ids = runs.SelectMany(r => r.Run.PerCategory).Where(c => c.AP >= 0).Select(c => c.CategoryId).Distinct().Order().ToArray();
        var rows = ids.Select(id =>
        {
            var name = maps.Select(m => m.TryGetValue(id, out var c) ? c.Name : null).FirstOrDefault(n => n is not null) ?? Md.Unknown;
            var row = new List<string> { $"{name} ({id})" };
            row.AddRange(maps.Select(m => m.TryGetValue(id, out var c) ? Md.Stat(c.AP) : "\u2013"));
            row.AddRange(pairs.Select(p =>
            {
                var b = p.Baseline.Run.PerCategory.FirstOrDefault(c => c.CategoryId == id);
                var k = p.Candidate.Run.PerCategory.FirstOrDefault(c => c.CategoryId == id);
                return b is { AP: >= 0 } && k is { AP: >= 0 }
                    ? Md.Delta(k.AP - b.AP) + IntervalText(intervals?.Invoke(p.Baseline, p.Candidate)?.PerClassAp.GetValueOrDefault(id))
                    : "\u2013";
            }));
            return (IReadOnlyList<string>)row;
        });
        return Md.Table(headers, rows);
    }

    /// <summary>
    /// The <paramref name="count"/> classes whose AP fell most from baseline to candidate, among the classes with at
    /// least <paramref name="minBoxes"/> ground-truth boxes when the box counts are known and at least 3 classes
    /// qualify (a class with one box moves AP by whole steps); the text says which rule applied.
    /// </summary>
    public static string TopLosses(LabeledRun baseline, LabeledRun candidate, int count = 10, int minBoxes = 10)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var boxes = baseline.Run.GroundTruthBoxes;
        var losses = PerClassTable.Deltas(baseline.Run, candidate.Run).Where(d => d.Delta < 0).ToArray();
        var wellPopulated = losses.Where(d => boxes.GetValueOrDefault(d.Id) >= minBoxes).ToArray();
        var rule = string.Empty;
        if (boxes.Count > 0 && wellPopulated.Length >= 3)
        {
            rule = string.Create(CultureInfo.InvariantCulture, $"Ranked among the classes with at least {minBoxes} ground-truth boxes; {losses.Length - wellPopulated.Length} classes with fewer boxes also lost AP (they are in the chart and the full table below, and in the stats).\n\n");
            losses = wellPopulated;
        }

        var rows = losses
            .OrderBy(d => d.Delta).ThenBy(d => d.Id)
            .Take(count)
            .Select(d => (IReadOnlyList<string>)
            [
                $"{d.Name} ({d.Id})", boxes.TryGetValue(d.Id, out var n) ? n.ToString(CultureInfo.InvariantCulture) : Md.Unknown,
                Md.Stat(d.BaselineAp), Md.Stat(d.CandidateAp), Md.Delta(d.Delta), d.BaselineAp > 0 ? Md.Change(d.Delta / d.BaselineAp) : Md.Unknown,
            ])
            .ToArray();
        return rows.Length == 0
            ? $"No class lost AP from {baseline.Label} to {candidate.Label}.\n"
            : rule + Md.Table(["class (id)", "GT boxes", $"AP {baseline.Label}", $"AP {candidate.Label}", "\u0394 AP", "relative"], rows);
    }

    /// <summary>Counts of classes that lost, gained or kept AP, e.g. <c>41 lower, 30 higher, 7 equal</c>.</summary>
    public static string LossGainCounts(LabeledRun baseline, LabeledRun candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var d = PerClassTable.Deltas(baseline.Run, candidate.Run);
        return string.Create(CultureInfo.InvariantCulture,
            $"{d.Count(x => x.Delta < 0)} classes lower, {d.Count(x => x.Delta > 0)} higher, {d.Count(x => x.Delta == 0)} equal (of {d.Count} with ground truth)");
    }

    /// <summary>The paired-bootstrap intervals of a pair, or null where there are none.</summary>
    public delegate AccuracyBootstrap.Result? IntervalLookup(LabeledRun baseline, LabeledRun candidate);

    /// <summary>The sentence under a table with intervals: how they were computed.</summary>
    public static string IntervalNote(AccuracyBootstrap.Result result) =>
        $"Intervals: {result.Method}. P(\u0394<0): the share of replicates in which the difference was below zero.";

    // " [−0.031, +0.002], P(Δ<0) 0.93", or nothing without an interval.
    private static string IntervalText(DeltaInterval? interval) => interval is null ? string.Empty : " " + interval.Describe();

    private static string DeltaCell(double baseline, double candidate) =>
        baseline < 0 || candidate < 0 ? Md.Unknown : Md.Delta(candidate - baseline) + (baseline > 0 ? $" ({Md.Change((candidate - baseline) / baseline)})" : string.Empty);
}
