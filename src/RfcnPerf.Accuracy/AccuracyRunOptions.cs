using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Accuracy;

/// <summary>What <c>rfcnperf eval run</c> runs: models, data, image selection, session settings, outputs.</summary>
public sealed record AccuracyRunOptions
{
    /// <summary>Catalog names or .onnx paths, in report order.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>COCO ground truth; its images are the ones processed.</summary>
    public required string Annotations { get; init; }

    /// <summary>Folder the ground truth's file names resolve in.</summary>
    public required string ImagesDir { get; init; }

    /// <summary>Report folder (created); a folder holding an interrupted run of the same options resumes it.</summary>
    public required string OutDir { get; init; }

    /// <summary>Process only the first N images (after sharding).</summary>
    public int? Limit { get; init; }

    /// <summary>Process only shard Index of Count (round-robin split of the image list).</summary>
    public (int Index, int Count)? Shard { get; init; }

    /// <summary>ONNX Runtime session settings, the same for every model.</summary>
    public SessionSettings Settings { get; init; } = new();

    /// <summary>Images per request.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Forces a family for models whose family cannot be inferred (applies to every model).</summary>
    public ModelFamily? Family { get; init; }

    /// <summary>Overrides the family's evaluation score threshold.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Overrides the family's NMS IoU threshold.</summary>
    public float? IouThreshold { get; init; }

    /// <summary>Overrides the family's detections kept per image.</summary>
    public int? MaxDetections { get; init; }

    /// <summary>Side-by-side example images to draw (0: none).</summary>
    public int Visualize { get; init; }

    /// <summary>Count and list unreadable images instead of stopping.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>
    /// Decode and pre-process the next images while the model runs (<see cref="Core.Pipeline.PipelinedDetectionRunner"/>);
    /// false runs every stage in series, so the stage times are per-request latencies.
    /// </summary>
    public bool Pipelined { get; init; } = true;

    /// <summary>Evaluator threads (0: one per core; the stats are identical for any count).</summary>
    public int EvalThreads { get; init; }

    /// <summary>
    /// Replicates of the paired bootstrap over images behind each INT8-vs-FP32 delta's interval (0: no intervals).
    /// Its cost grows with the detections: about 30 s of CPU for one pair on 212 images, so a full val2017 run may
    /// want fewer, or none.
    /// </summary>
    public int BootstrapReplicates { get; init; } = AccuracyBootstrap.DefaultReplicates;

    /// <summary>Default models left out before the run, with the reason (written into the report).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The command line, recorded in the report.</summary>
    public string? CommandLine { get; init; }

    /// <summary>A hash of everything that decides the report's content, to recognise an interrupted run of the same command.</summary>
    public string Fingerprint() => Core.Pipeline.DetectionCheckpoint.Fingerprint(
        string.Join('\u001e', Models), Path.GetFullPath(Annotations), Path.GetFullPath(ImagesDir), Limit, Shard?.ToString(),
        Settings.Describe(), Batch, Family, ScoreThreshold, IouThreshold, MaxDetections, SkipBadImages);
}
