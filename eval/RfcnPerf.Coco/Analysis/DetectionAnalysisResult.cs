namespace RfcnPerf.Coco.Analysis;

/// <summary>What one model's detections got wrong, and how its scores behave (see <see cref="DetectionAnalysis"/>).</summary>
/// <param name="Tide">TIDE's error decomposition (TIDE's own matching and AP50, 0-100 scale).</param>
/// <param name="Confidence">Precision, recall and F1 against the score threshold, and the best-F1 threshold.</param>
/// <param name="Confusion">The confusion matrix at <see cref="ConfusionMatrix.ScoreThreshold"/>.</param>
/// <param name="Calibration">Reliability of the scores (ECE, MCE, 10 bins).</param>
/// <param name="Images">Images analysed.</param>
public sealed record DetectionAnalysisResult(TideResult Tide, ConfidenceCurve Confidence, ConfusionMatrix Confusion, Calibration Calibration, int Images);
