namespace RfcnPerf.Coco.Analysis;

/// <summary>One score bin of a <see cref="Calibration"/>.</summary>
/// <param name="Lower">Lowest score of the bin (inclusive).</param>
/// <param name="Upper">Highest score (exclusive, except 1 for the last bin).</param>
/// <param name="Count">Detections in the bin.</param>
/// <param name="MeanScore">Their mean score (the confidence); NaN for an empty bin.</param>
/// <param name="Accuracy">The share of them that are true positives; NaN for an empty bin.</param>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanScore, double Accuracy);
