using RfcnPerf.Coco;
using RfcnPerf.Coco.Analysis;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The diagnostics of a report: each run's <see cref="DetectionAnalysis"/> and each pair's
/// <see cref="DetectionAgreement"/>, computed from the runs' results files (the same for <c>eval run</c> and
/// <c>eval analyze</c>).
/// </summary>
public sealed class ReportDiagnostics
{
    private ReportDiagnostics(IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<PairAgreement> pairs, IReadOnlyList<CocoResults> results)
    {
        Runs = runs;
        Pairs = pairs;
        Results = results;
    }

    /// <summary>One entry per run, in run order.</summary>
    public IReadOnlyList<RunDiagnostics> Runs { get; }

    /// <summary>One entry per compared pair.</summary>
    public IReadOnlyList<PairAgreement> Pairs { get; }

    /// <summary>The loaded results of each run (for drawing the examples).</summary>
    internal IReadOnlyList<CocoResults> Results { get; }

    /// <summary>Analyses every run and compares every pair.</summary>
    /// <param name="groundTruth">The ground truth the runs were scored on.</param>
    /// <param name="runs">Label and results of each run.</param>
    /// <param name="pairs">(baseline, candidate) positions in <paramref name="runs"/>.</param>
    /// <param name="imageIds">The images to analyse (the processed ones), or null for all of the ground truth's.</param>
    /// <param name="agreementThreshold">τ of the agreement; null for each pair's baseline best-F1 threshold.</param>
    /// <param name="confusionThreshold">Score threshold of the confusion matrices; null for each run's best-F1 threshold.</param>
    /// <param name="threads">COCOeval threads (0: one per core).</param>
    public static ReportDiagnostics Compute(
        CocoGroundTruth groundTruth,
        IReadOnlyList<(string Label, CocoResults Results)> runs,
        IReadOnlyList<(int Baseline, int Candidate)> pairs,
        IReadOnlyCollection<long>? imageIds,
        double? agreementThreshold = null,
        double? confusionThreshold = null,
        int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(pairs);
        var options = new DetectionAnalysisOptions { ImageIds = imageIds, ConfusionThreshold = confusionThreshold, Threads = threads };
        var diagnostics = runs.Select(r => new RunDiagnostics(r.Label, DetectionAnalysis.Analyze(groundTruth, r.Results, options))).ToArray();
        var agreements = pairs.Select(p =>
        {
            var b = diagnostics[p.Baseline].Analysis;
            var c = diagnostics[p.Candidate].Analysis;
            var agreement = DetectionAgreement.Compare(
                groundTruth, runs[p.Baseline].Results, runs[p.Candidate].Results,
                new AgreementOptions(agreementThreshold ?? b.Confidence.BestThreshold) { ImageIds = imageIds });
            return new PairAgreement(
                runs[p.Baseline].Label,
                runs[p.Candidate].Label,
                agreement,
                [.. b.Tide.Errors.Zip(c.Tide.Errors, (x, y) => y.DeltaAp - x.DeltaAp)],
                [.. b.Tide.Errors.Zip(c.Tide.Errors, (x, y) => y.Count - x.Count)],
                c.Calibration.ExpectedCalibrationError - b.Calibration.ExpectedCalibrationError);
        }).ToArray();
        return new ReportDiagnostics(diagnostics, agreements, [.. runs.Select(r => r.Results)]);
    }
}
