using System.Globalization;

namespace RfcnPerf.Accuracy;

/// <summary>
/// A difference of an accuracy figure (candidate - baseline) with its 95% paired-bootstrap interval over images and
/// the share of replicates in which it was below zero.
/// </summary>
/// <param name="Delta">The difference on the evaluated images themselves.</param>
/// <param name="Lower">2.5th percentile of the replicates' differences.</param>
/// <param name="Upper">97.5th percentile.</param>
/// <param name="ProbabilityBelowZero">Share of replicates whose difference was below zero.</param>
/// <param name="Replicates">Replicates where the figure was defined for both (a resample without a small object has no APs).</param>
public sealed record DeltaInterval(double Delta, double Lower, double Upper, double ProbabilityBelowZero, int Replicates)
{
    /// <summary>Whether the interval excludes zero (the difference is not noise at 95%).</summary>
    public bool ExcludesZero => Upper < 0 || Lower > 0;

    /// <summary>"[−0.031, +0.002], P(Δ&lt;0) 0.93" style text (signs as the reports print deltas).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"[{Signed(Lower)}, {Signed(Upper)}], P(Δ<0) {ProbabilityBelowZero:F2}");

    private static string Signed(double v) => !double.IsFinite(v) ? "n/a" : (v >= 0 ? "+" : "\u2212") + Math.Abs(v).ToString("0.000", CultureInfo.InvariantCulture);
}
