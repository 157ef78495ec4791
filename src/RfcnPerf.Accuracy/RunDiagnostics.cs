using RfcnPerf.Coco.Analysis;

namespace RfcnPerf.Accuracy;

/// <summary>One model's diagnostics in a report: TIDE errors, the confidence sweep, the confusion matrix, calibration.</summary>
/// <param name="Label">The run's label in the report.</param>
/// <param name="Analysis">The numbers (TIDE on its 0-100 scale; the rest on COCOeval's matching at IoU 0.5).</param>
public sealed record RunDiagnostics(string Label, DetectionAnalysisResult Analysis)
{
    /// <summary>How many confused class pairs a report lists per model.</summary>
    public const int ConfusedPairsListed = 10;

    /// <summary>The class pairs confused most at the confusion matrix's threshold.</summary>
    public IReadOnlyList<ConfusedPair> MostConfused => Analysis.Confusion.MostConfused(ConfusedPairsListed);
}
