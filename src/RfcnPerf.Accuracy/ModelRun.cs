using System.Text.Json.Serialization;
using RfcnPerf.Coco;

namespace RfcnPerf.Accuracy;

/// <summary>
/// One model's part of an accuracy run, as written to its <c>run.json</c> (and inside <c>report.json</c>):
/// the model, the COCO stats of its saved results file, per-category AP, precision-recall curves, and the
/// latency of the same detection pass. <c>rfcnperf eval compare</c> reads it back.
/// </summary>
public sealed record ModelRun
{
    /// <summary>The <c>kind</c> value of a run.json file.</summary>
    public const string KindName = "rfcnperf.eval-run";

    /// <summary>Identifies the file type for readers (<see cref="KindName"/>).</summary>
    public string Kind { get; init; } = KindName;

    /// <summary>Schema version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The model that ran.</summary>
    public required ModelFacts Model { get; init; }

    /// <summary>Everything that shaped the detections (model hash, settings, thresholds, image list), hashed:
    /// a finished run with the same fingerprint is reused instead of run again.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The COCO results file, relative to this run's folder.</summary>
    public required string ResultsFile { get; init; }

    /// <summary>The ground truth the results were scored against.</summary>
    public required string Annotations { get; init; }

    /// <summary>Images the detector processed.</summary>
    public required int ImagesProcessed { get; init; }

    /// <summary>Images that could not be read (skipped with --skip-bad-images; their ground truth counts as missed).</summary>
    public IReadOnlyList<string> BadImages { get; init; } = [];

    /// <summary>Detections in the results file.</summary>
    public required int Detections { get; init; }

    /// <summary>Image ids the evaluation was restricted to (params.imgIds), or null for every ground-truth image.</summary>
    public IReadOnlyList<long>? EvaluatedImageIds { get; init; }

    /// <summary>Number of images evaluated.</summary>
    public required int EvaluatedImageCount { get; init; }

    /// <summary>The 12 COCO stats (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl), exact doubles.</summary>
    public required IReadOnlyList<double> Stats { get; init; }

    /// <summary>Names of <see cref="Stats"/>.</summary>
    public required IReadOnlyList<string> StatNames { get; init; }

    /// <summary>The 12 lines pycocotools prints.</summary>
    public required IReadOnlyList<string> StatLines { get; init; }

    /// <summary>Per-category AP/AR in category-id order (-1: no ground truth in that setting).</summary>
    public required IReadOnlyList<CocoCategoryMetrics> PerCategory { get; init; }

    /// <summary>Ground-truth boxes (crowd excluded) per category id on the evaluated images; empty when unknown.</summary>
    public IReadOnlyDictionary<long, int> GroundTruthBoxes { get; init; } = new Dictionary<long, int>();

    /// <summary>Precision-recall curves (area all, maxDets 100, averaged over categories) at IoU 0.5 and 0.75.</summary>
    public required IReadOnlyList<PrecisionRecallCurve> PrecisionRecall { get; init; }

    /// <summary>Latency and throughput of the detection pass; null in files that carry no timing (e.g. eval score output).</summary>
    public LatencyFigures? Latency { get; init; }

    /// <summary>Wall seconds this process spent detecting (a resumed pass counts only its own part).</summary>
    public double DetectSeconds { get; init; }

    /// <summary>Wall seconds of loading the results and scoring them.</summary>
    public double EvaluateSeconds { get; init; }

    /// <summary>Which shard of a sharded run this is (<c>--shard i/n</c>); null for an unsharded run.</summary>
    public ShardInfo? Shard { get; init; }

    /// <summary>Images restored from a checkpoint of an interrupted pass instead of run again.</summary>
    public int ResumedImages { get; init; }

    /// <summary>AP@[.50:.95] (stats[0]).</summary>
    [JsonIgnore]
    public double AP => Stats.Count > 0 ? Stats[0] : double.NaN;
}
