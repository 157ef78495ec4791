namespace RfcnPerf.Core.PostProcessing;

/// <summary>
/// Score threshold (strictly greater keeps, as Ultralytics and mmdet do), class-wise NMS IoU threshold,
/// detections kept per image, and the cap on candidates entering NMS.
/// </summary>
public sealed record PostprocessOptions(float ScoreThreshold, float IouThreshold, int MaxDetections, int MaxCandidates = 30_000)
{
    /// <summary>Ultralytics' published evaluation: conf 0.001, NMS IoU 0.7, 300 detections, 30,000 candidates.</summary>
    public static PostprocessOptions Yolov8Eval { get; } = new(0.001f, 0.7f, 300);

    /// <summary>NanoDet's own evaluation: score 0.05, NMS IoU 0.6, 100 detections.</summary>
    public static PostprocessOptions NanodetEval { get; } = new(0.05f, 0.6f, 100);

    /// <summary>tf-od-api graphs do NMS inside; keep everything they report (up to 300).</summary>
    public static PostprocessOptions TfOdApi { get; } = new(0f, 1f, 300);

    /// <summary>These options with whatever the user set (null: keep this value). The one place CLI and eval run apply overrides.</summary>
    public PostprocessOptions With(float? scoreThreshold, float? iouThreshold, int? maxDetections) => this with
    {
        ScoreThreshold = scoreThreshold ?? ScoreThreshold,
        IouThreshold = iouThreshold ?? IouThreshold,
        MaxDetections = maxDetections ?? MaxDetections,
    };
}
