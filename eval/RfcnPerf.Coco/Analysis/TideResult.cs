namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// A TIDE error decomposition (dbolya/tide, <c>TIDE.summarize</c>): TIDE's AP50 and, for each main error type,
/// the AP50 an oracle fixing only those errors would reach, minus the AP50; plus the two special errors. All AP
/// values on TIDE's 0-100 scale.
/// </summary>
/// <param name="Ap">TIDE's own AP at IoU 0.5 (its matching: top detections per image across classes, greedy by
/// score, best IoU first; close to, but not the same as, COCOeval's AP50).</param>
/// <param name="Errors">The six main error types in TIDE's order.</param>
/// <param name="FalsePositiveDeltaAp">"FalsePos": AP50 gained with every false positive scored below every true
/// positive (perfect precision, same recall).</param>
/// <param name="FalseNegativeDeltaAp">"FalseNeg": AP50 gained with every missed ground truth removed (perfect
/// recall, same precision); negative when that reorders tied scores unfavourably, as in TIDE.</param>
/// <param name="Images">Images analysed.</param>
/// <param name="Detections">Detections analysed (at most <see cref="TideOptions.MaxDetections"/> per image).</param>
/// <param name="GroundTruths">Non-crowd ground truths on those images.</param>
public sealed record TideResult(
    double Ap,
    IReadOnlyList<TideErrorRow> Errors,
    double FalsePositiveDeltaAp,
    double FalseNegativeDeltaAp,
    int Images,
    int Detections,
    int GroundTruths)
{
    /// <summary>The row of <paramref name="type"/>.</summary>
    public TideErrorRow this[TideErrorType type] => Errors[(int)type];
}
