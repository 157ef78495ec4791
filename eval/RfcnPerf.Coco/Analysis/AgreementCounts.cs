namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// Detections of two models sorted into five classes: the pairs (kept, moved, relabelled) and the unpaired (lost:
/// baseline only; gained: candidate only). They partition each model's detections above the threshold.
/// </summary>
/// <param name="Kept">Pairs of the same class with IoU &gt;= 0.9.</param>
/// <param name="Moved">Pairs of the same class with 0.5 &lt;= IoU &lt; 0.9.</param>
/// <param name="Relabelled">Pairs of different classes with IoU &gt;= 0.5.</param>
/// <param name="Lost">Baseline detections with no partner.</param>
/// <param name="Gained">Candidate detections with no partner.</param>
public sealed record AgreementCounts(int Kept, int Moved, int Relabelled, int Lost, int Gained)
{
    /// <summary>Baseline detections compared (kept + moved + relabelled + lost).</summary>
    public int Baseline => Kept + Moved + Relabelled + Lost;

    /// <summary>Candidate detections compared (kept + moved + relabelled + gained).</summary>
    public int Candidate => Kept + Moved + Relabelled + Gained;

    /// <summary>Distinct objects either model reports: pairs + lost + gained.</summary>
    public int Union => Kept + Moved + Relabelled + Lost + Gained;

    /// <summary>The agreement rate: kept pairs over <see cref="Union"/> (1 when both models report nothing).</summary>
    public double AgreementRate => Union > 0 ? (double)Kept / Union : 1;

    /// <summary>The detections that changed: moved + relabelled + lost + gained.</summary>
    public int Disagreements => Moved + Relabelled + Lost + Gained;
}
