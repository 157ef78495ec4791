namespace RfcnPerf.Coco.Analysis;

/// <summary>Settings of <see cref="DetectionAnalysis.Analyze"/>.</summary>
public sealed record DetectionAnalysisOptions
{
    /// <summary>Analyse only these images (e.g. the processed part of a ground truth); null for every image.</summary>
    public IReadOnlyCollection<long>? ImageIds { get; init; }

    /// <summary>Score threshold of the confusion matrix; null for the model's best-F1 threshold.</summary>
    public double? ConfusionThreshold { get; init; }

    /// <summary>Threads of the COCOeval matching (0: one per core).</summary>
    public int Threads { get; init; }
}
