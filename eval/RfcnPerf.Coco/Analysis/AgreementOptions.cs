namespace RfcnPerf.Coco.Analysis;

/// <summary>Settings of <see cref="DetectionAgreement.Compare"/>.</summary>
/// <param name="ScoreThreshold">Only detections scoring at least this (in either model) are compared (τ).</param>
public sealed record AgreementOptions(double ScoreThreshold)
{
    /// <summary>A pair of the same class with at least this IoU is "kept" (below it, "moved").</summary>
    public double KeptIou { get; init; } = 0.9;

    /// <summary>Two boxes with at least this IoU are the same object.</summary>
    public double MatchIou { get; init; } = 0.5;

    /// <summary>Compare only these images; null for every ground-truth image.</summary>
    public IReadOnlyCollection<long>? ImageIds { get; init; }
}
