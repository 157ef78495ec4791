using System.Globalization;

namespace RfcnPerf.Statistics;

/// <summary>
/// The ratio B/A between two runs (unpaired samples: nothing ties B's i-th sample to A's): the Hodges-Lehmann
/// shift of log times, exp(median over all pairs of ln b_j - ln a_i), with the 95% interval from inverting the
/// Mann-Whitney test (the k-th smallest and k-th largest pairwise difference, k from <see cref="MannWhitney.CriticalRank"/>).
/// </summary>
public static class UnpairedRatio
{
    /// <summary>Estimates B/A from <paramref name="a"/> (base) and <paramref name="b"/> (new) times, positive and finite.</summary>
    public static RatioEstimate Estimate(IReadOnlyList<double> a, IReadOnlyList<double> b, double threshold = VerdictRule.DefaultThreshold)
    {
        VerdictRule.CheckThreshold(threshold);
        var la = Logs(a, "A");
        var lb = Logs(b, "B");
        var method = string.Create(CultureInfo.InvariantCulture,
            $"unpaired: Hodges-Lehmann shift of log times ({la.Length} vs {lb.Length} samples), 95% interval inverting Mann-Whitney ({(la.Length > 0 && lb.Length > 0 ? MannWhitney.MethodName(la.Length, lb.Length) : "n/a")})");
        return FromLogs(la, lb, Math.Min(la.Length, lb.Length), threshold, method);
    }

    /// <summary>
    /// The ratio exp(shift) of log values <paramref name="lb"/> against <paramref name="la"/> with its interval and
    /// verdict (<see cref="ShiftWithInterval"/>; sorts both in place): every sample's log, or each block's log median
    /// (<see cref="RunToRunRatio.WithinRun"/>). No estimate when a side is empty.
    /// </summary>
    internal static RatioEstimate FromLogs(double[] la, double[] lb, int rounds, double threshold, string method)
    {
        if (la.Length == 0 || lb.Length == 0)
        {
            return RatioEstimate.None(method, threshold);
        }

        var (shift, lower, upper) = ShiftWithInterval(la, lb);
        return RatioEstimate.Decided(Math.Exp(shift), Math.Exp(lower), Math.Exp(upper), rounds, threshold, method);
    }

    /// <summary>
    /// The difference B - A in the samples' own units (a serving overhead in ns): the Hodges-Lehmann shift, the
    /// median over all pairs of b_j - a_i, with the same 95% Mann-Whitney interval as <see cref="Estimate"/> gives
    /// the ratio. Both sides need at least one finite value.
    /// </summary>
    public static (double Shift, double Lower, double Upper) Difference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0 || a.Concat(b).Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("a difference needs at least one finite value on each side, and only finite values");
        }

        return ShiftWithInterval([.. a], [.. b]);
    }

    /// <summary>
    /// The Hodges-Lehmann shift of <paramref name="lb"/> against <paramref name="la"/> (both non-empty; log times for a
    /// ratio, or any units for a difference) with its 95% Mann-Whitney interval, in the same units. Sorts both arrays
    /// in place (the selection of pairwise differences needs them ascending).
    /// </summary>
    internal static (double Shift, double Lower, double Upper) ShiftWithInterval(double[] la, double[] lb)
    {
        Array.Sort(la);
        Array.Sort(lb);
        var shift = PairwiseDifferences.Median(la, lb);
        var (lower, upper) = Interval(la, lb, 1 - VerdictRule.Confidence);
        return (shift, lower, upper);
    }

    /// <summary>
    /// The interval of the shift of <paramref name="lb"/> against <paramref name="la"/> (both sorted ascending):
    /// the rank-th smallest and rank-th largest of the pairwise differences lb_j - la_i.
    /// </summary>
    internal static (double Lower, double Upper) Interval(double[] la, double[] lb, double alpha)
    {
        var rank = MannWhitney.CriticalRank(la.Length, lb.Length, alpha);
        var total = (long)la.Length * lb.Length;
        return (PairwiseDifferences.KthSmallest(la, lb, rank), PairwiseDifferences.KthSmallest(la, lb, total - rank + 1));
    }

    internal static double[] Logs(IReadOnlyList<double> times, string side)
    {
        ArgumentNullException.ThrowIfNull(times);
        var logs = new double[times.Count];
        for (var i = 0; i < logs.Length; i++)
        {
            if (!(times[i] > 0 && double.IsFinite(times[i])))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{side} sample {i}: a time must be positive and finite, got {times[i]}"));
            }

            logs[i] = Math.Log(times[i]);
        }

        return logs;
    }
}
