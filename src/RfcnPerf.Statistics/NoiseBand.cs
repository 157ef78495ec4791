using System.Globalization;

namespace RfcnPerf.Statistics;

/// <summary>
/// How far two runs of one build can put a case apart by run-to-run noise alone (another moment on a shared machine,
/// another core, another clock): a half-width in log units by which <see cref="RunToRunRatio.Widen"/> widens each
/// case's own interval on both sides. Either estimated from the matched cases (<see cref="RunToRunRatio.EstimateBand"/>) or
/// given by the user (<see cref="Parse"/>, e.g. from their own A/A history, as ResultsComparer's <c>--noise</c>).
/// </summary>
/// <param name="HalfWidth">Half-width w in log units (a ratio within exp(±w) can be noise); NaN when it could not be estimated.</param>
/// <param name="Spread">The robust standard deviation of the matched cases' log ratios it came from (NaN when given).</param>
/// <param name="Cases">Matched cases it was estimated from (0 when given).</param>
public sealed record NoiseBand(double HalfWidth, double Spread, int Cases)
{
    /// <summary>Whether a half-width is known (given, or estimated from enough cases).</summary>
    public bool IsKnown => double.IsFinite(HalfWidth);

    /// <summary>Whether the user gave the band rather than the cases estimating it.</summary>
    public bool IsGiven => Cases == 0 && double.IsNaN(Spread) && IsKnown;

    /// <summary>
    /// Parses a band as users write it: <c>10%</c> or <c>0.10</c>, 0 allowed (no widening). Throws
    /// <see cref="FormatException"/> naming the text when it is not a fraction in [0, 1).
    /// </summary>
    public static NoiseBand Parse(string text) => FromFraction(VerdictRule.ParseFraction(text, "noise band", "10% or 0.10", allowZero: true));

    /// <summary>The band as a fraction of the ratio: ratios within 1 ± this can be noise alone (exp(w) - 1).</summary>
    public double Fraction => Math.Exp(HalfWidth) - 1;

    /// <summary>A band the user gave as a fraction (0.10 = ratios within 1 ± 10% can be noise); 0 turns the widening off.</summary>
    public static NoiseBand FromFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the noise band is a fraction in [0, 1), e.g. 0.10 for 10%");
        }

        return new NoiseBand(Math.Log(1 + fraction), double.NaN, 0);
    }

    /// <summary>The band and where it came from, for reports: <c>±12.2% (1.96 x ...)</c>, or why there is none.</summary>
    public string Describe() => !IsKnown
        ? string.Create(CultureInfo.InvariantCulture, $"not estimable from {Cases} matched case{(Cases == 1 ? string.Empty : "s")} (it needs {RunToRunRatio.MinCasesForBand}; give --noise): every verdict is unknown")
        : IsGiven
            ? string.Create(CultureInfo.InvariantCulture, $"±{Fraction * 100:F1}% (given with --noise)")
            : string.Create(CultureInfo.InvariantCulture, $"±{Fraction * 100:F1}% (1.96 x the robust standard deviation {Spread:F4} of the {Cases} matched cases' log ratios, 1.4826 x their median absolute deviation)");
}
