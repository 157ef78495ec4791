using System.Globalization;

namespace RfcnPerf.Statistics;

/// <summary>
/// The ratio B/A of one case between two runs (two processes, minutes or days apart), where the unpaired test of
/// <see cref="UnpairedRatio"/> on every sample is far too sure of itself, for two measured reasons:
/// <list type="bullet">
/// <item>Samples in a row are not independent: a slow spell on a shared machine lasts seconds, i.e. tens of samples.
/// So each side's samples (in measurement order) are cut into <see cref="Blocks"/> consecutive blocks and the unit is
/// a block's median (as Google benchmark's compare.py tests repetitions, not iterations): Hodges-Lehmann shift of the
/// blocks' log medians, 95% interval from inverting Mann-Whitney over the blocks (<see cref="WithinRun"/>).</item>
/// <item>Two runs of one build differ case by case by more than either run's own spread (another moment, another
/// core, another clock): the between-run noise band (<see cref="NoiseBand"/>), estimated from how much the matched
/// cases' log ratios scatter (<see cref="EstimateBand"/>) or given, widens each case's interval on both sides
/// (<see cref="Widen"/>).</item>
/// </list>
/// The verdict is then <see cref="VerdictRule.Decide"/>'s on the widened interval.
/// </summary>
public static class RunToRunRatio
{
    /// <summary>
    /// Consecutive blocks per side. Five is the fewest for which the Mann-Whitney 95% interval is narrower than the
    /// whole range of block differences (4 against 4 gives rank 1); on two quiet quick runs of one build (100 samples
    /// a case) ten blocks of 10 still called a case "slower" whose first 60 samples all fell in one slow spell, five
    /// blocks of 20 did not.
    /// </summary>
    public const int Blocks = 5;

    /// <summary>
    /// Fewest matched cases the band is estimated from: the median absolute deviation of fewer values rests on two or
    /// three of them, and with up to half of the cases truly changed it must still be the unchanged ones that set it.
    /// </summary>
    public const int MinCasesForBand = 8;

    /// <summary>Median absolute deviation to standard deviation for normal data (1 / Φ⁻¹(3/4)).</summary>
    internal const double MadToStandardDeviation = 1.482602218505602;

    /// <summary>Φ⁻¹(0.975): the band is a 95% half-width, as every interval of the module is 95% (<see cref="VerdictRule.Confidence"/>).</summary>
    internal const double Z95 = 1.959963984540054;

    /// <summary>
    /// One case's ratio B/A from its own samples only: Hodges-Lehmann shift of the <see cref="Blocks"/> blocks' log
    /// medians, 95% interval inverting Mann-Whitney over the blocks; <see cref="RatioEstimate.Rounds"/> is the smaller
    /// side's sample count. Its verdict ignores the between-run noise: use <see cref="Widen"/> for the one to report.
    /// </summary>
    public static RatioEstimate WithinRun(IReadOnlyList<double> a, IReadOnlyList<double> b, double threshold = VerdictRule.DefaultThreshold)
    {
        VerdictRule.CheckThreshold(threshold);
        var la = BlockLogMedians(UnpairedRatio.Logs(a, "A"));
        var lb = BlockLogMedians(UnpairedRatio.Logs(b, "B"));
        var rounds = Math.Min(a.Count, b.Count);
        var method = string.Create(CultureInfo.InvariantCulture,
            $"between runs: Hodges-Lehmann shift of the log medians of {la.Length} vs {lb.Length} consecutive blocks ({a.Count} vs {b.Count} samples), 95% interval inverting Mann-Whitney over the blocks");
        return UnpairedRatio.FromLogs(la, lb, rounds, threshold, method);
    }

    /// <summary>
    /// The between-run noise band from the matched cases' <see cref="WithinRun"/> ratios: 1.96 times the robust
    /// standard deviation (1.4826 x the median absolute deviation) of their log ratios. The median absolute deviation
    /// is centred on the cases' median, so a change that moves every case alike does not widen the band, and up to
    /// half the cases may truly change without setting it. Unknown (NaN) with fewer than <see cref="MinCasesForBand"/>
    /// cases with a ratio.
    /// </summary>
    public static NoiseBand EstimateBand(IReadOnlyList<RatioEstimate> withinRun)
    {
        ArgumentNullException.ThrowIfNull(withinRun);
        var logs = withinRun.Where(r => r.Ratio > 0 && double.IsFinite(r.Ratio)).Select(r => Math.Log(r.Ratio)).ToArray();
        if (logs.Length < MinCasesForBand)
        {
            return new NoiseBand(double.NaN, double.NaN, logs.Length);
        }

        var sd = MadToStandardDeviation * MedianAbsoluteDeviation(logs);
        return new NoiseBand(Z95 * sd, sd, logs.Length);
    }

    /// <summary>
    /// <paramref name="withinRun"/>'s interval widened by <paramref name="band"/> on each side (lower / exp(w),
    /// upper x exp(w)), and the verdict decided on that. Adding the band outright rather than in quadrature keeps a
    /// case whose own interval is lopsided (a slow spell over most of its samples puts the estimate at one end) from
    /// clearing the band by its long side. An unknown band leaves the bounds and gives "unknown".
    /// </summary>
    public static RatioEstimate Widen(RatioEstimate withinRun, NoiseBand band)
    {
        ArgumentNullException.ThrowIfNull(withinRun);
        ArgumentNullException.ThrowIfNull(band);
        var method = $"{withinRun.Method}; widened on each side by the between-run noise band {band.Describe()}";
        if (!band.IsKnown || !(withinRun.Ratio > 0 && withinRun.Lower > 0 && withinRun.Upper > 0))
        {
            return withinRun with { Verdict = Verdict.Unknown, Method = method };
        }

        return RatioEstimate.Decided(withinRun.Ratio, withinRun.Lower / Math.Exp(band.HalfWidth), withinRun.Upper * Math.Exp(band.HalfWidth),
            withinRun.Rounds, withinRun.Threshold, method);
    }

    /// <summary>
    /// Every matched case of two runs: <see cref="WithinRun"/> per case, the band (<paramref name="givenBand"/>, else
    /// <see cref="EstimateBand"/> over these cases), and each case <see cref="Widen"/>ed by it.
    /// </summary>
    public static (IReadOnlyList<RatioEstimate> WithinRun, IReadOnlyList<RatioEstimate> Widened, NoiseBand Band) Compare(
        IReadOnlyList<(IReadOnlyList<double> A, IReadOnlyList<double> B)> cases, double threshold = VerdictRule.DefaultThreshold, NoiseBand? givenBand = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var within = cases.Select(c => WithinRun(c.A, c.B, threshold)).ToArray();
        var band = givenBand ?? EstimateBand(within);
        return (within, [.. within.Select(r => Widen(r, band))], band);
    }

    /// <summary>Median of |x - median(x)| (no scale factor), <see cref="Percentiles.Median"/> for both medians.</summary>
    internal static double MedianAbsoluteDeviation(IReadOnlyList<double> values)
    {
        var median = Percentiles.Median(values);
        return Percentiles.Median([.. values.Select(v => Math.Abs(v - median))]);
    }

    /// <summary>
    /// The <see cref="Blocks"/> consecutive blocks' medians of <paramref name="logs"/> (in measurement order; block i
    /// holds samples [i n / k, (i + 1) n / k)); with fewer samples than blocks, each sample is its own block.
    /// </summary>
    internal static double[] BlockLogMedians(double[] logs)
    {
        if (logs.Length <= Blocks)
        {
            return logs;
        }

        var medians = new double[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            var start = i * logs.Length / Blocks;
            var end = (i + 1) * logs.Length / Blocks;
            medians[i] = Percentiles.Median(new ArraySegment<double>(logs, start, end - start));
        }

        return medians;
    }
}
