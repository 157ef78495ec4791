namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// The diagnostics of one model's results: TIDE's error decomposition (its own matching), then, on COCOeval's matching
/// at IoU 0.5 (area all, maxDets 100), precision/recall/F1 against the score threshold, a confusion matrix at the
/// best-F1 threshold (or a given one) and the calibration of the scores.
/// </summary>
public static class DetectionAnalysis
{
    /// <summary>Analyses <paramref name="results"/> against <paramref name="groundTruth"/>.</summary>
    /// <exception cref="CocoException">An image id of the options is not in the ground truth.</exception>
    public static DetectionAnalysisResult Analyze(CocoGroundTruth groundTruth, CocoResults results, DetectionAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(results);
        options ??= new DetectionAnalysisOptions();
        var tide = Tide.Evaluate(groundTruth, results, new TideOptions { ImageIds = options.ImageIds });
        var matches = CocoMatches.Compute(groundTruth, results, options.ImageIds, options.Threads);
        var confidence = ConfidenceCurve.From(matches);
        var confusion = ConfusionMatrix.At(matches, options.ConfusionThreshold ?? confidence.BestThreshold);
        return new DetectionAnalysisResult(tide, confidence, confusion, Calibration.From(matches), matches.Images);
    }
}
