using RfcnPerf.Coco.Analysis;

namespace RfcnPerf.Accuracy;

/// <summary>An FP32/INT8 pair (or any run against a baseline) in a report: detection agreement and what changed.</summary>
/// <param name="Baseline">Label of the baseline run (its score order drives the pairing).</param>
/// <param name="Candidate">Label of the compared run.</param>
/// <param name="Agreement">Kept, moved, relabelled, lost and gained detections, in total, per class and per image.</param>
/// <param name="TideDeltaAp">Candidate minus baseline dAP of each TIDE error type, in TIDE's order (positive: the
/// candidate loses more AP50 to that type).</param>
/// <param name="TideCountDelta">Candidate minus baseline count of each TIDE error type.</param>
/// <param name="EceDelta">Candidate minus baseline expected calibration error.</param>
public sealed record PairAgreement(
    string Baseline,
    string Candidate,
    AgreementResult Agreement,
    IReadOnlyList<double> TideDeltaAp,
    IReadOnlyList<int> TideCountDelta,
    double EceDelta);
