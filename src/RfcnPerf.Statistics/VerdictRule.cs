namespace RfcnPerf.Statistics;

/// <summary>
/// The one rule that turns a time ratio's interval into a <see cref="Verdict"/> (dotnet/performance's
/// ResultsComparer asks the same question with a TOST test; Perfolizer's SimpleEquivalenceTest calls itself a
/// dummy, so the rule is written here): "same" when the 95% interval of B/A lies inside [1 - θ, 1 + θ],
/// "faster" / "slower" when it lies wholly below 1 - θ / above 1 + θ, "unknown" otherwise or with fewer than
/// <see cref="MinRounds"/> rounds.
/// </summary>
public static class VerdictRule
{
    /// <summary>θ used when none is given: differences under 5% are "the same".</summary>
    public const double DefaultThreshold = 0.05;

    /// <summary>
    /// Fewest rounds (paired) or samples per side (unpaired) a verdict is given for: below it a percentile-bootstrap
    /// interval of a median is too coarse (it can only fall on a handful of order statistics) to be trusted.
    /// </summary>
    public const int MinRounds = 30;

    /// <summary>Two-sided confidence level of every interval the module reports.</summary>
    public const double Confidence = 0.95;

    /// <summary>The verdict for an interval [<paramref name="lower"/>, <paramref name="upper"/>] of B/A from <paramref name="rounds"/> rounds.</summary>
    public static Verdict Decide(double lower, double upper, int rounds, double threshold = DefaultThreshold)
    {
        CheckThreshold(threshold);
        if (rounds < MinRounds || !double.IsFinite(lower) || !double.IsFinite(upper) || lower > upper)
        {
            return Verdict.Unknown;
        }

        if (lower >= 1 - threshold && upper <= 1 + threshold)
        {
            return Verdict.Same;
        }

        if (upper < 1 - threshold)
        {
            return Verdict.Faster;
        }

        return lower > 1 + threshold ? Verdict.Slower : Verdict.Unknown;
    }

    /// <summary>
    /// The stopping rule's test: an interval is narrow enough when its half-width is at most θ/2, so it can
    /// fit inside [1 - θ, 1 + θ] or clear one of its edges.
    /// </summary>
    public static bool NarrowEnough(double lower, double upper, double threshold = DefaultThreshold) =>
        double.IsFinite(lower) && double.IsFinite(upper) && (upper - lower) / 2 <= threshold / 2;

    /// <summary>Lower-case word for tables and JSON.</summary>
    public static string Word(this Verdict verdict) => verdict switch
    {
        Verdict.Same => "same",
        Verdict.Faster => "faster",
        Verdict.Slower => "slower",
        _ => "unknown",
    };

    /// <summary>Parses <see cref="Word"/>'s output.</summary>
    public static Verdict ParseWord(string word) => word switch
    {
        "same" => Verdict.Same,
        "faster" => Verdict.Faster,
        "slower" => Verdict.Slower,
        "unknown" => Verdict.Unknown,
        _ => throw new FormatException($"'{word}' is not a verdict (same, faster, slower, unknown)"),
    };

    /// <summary>
    /// Parses a threshold as users write it: <c>5%</c> or <c>0.05</c>. Throws <see cref="FormatException"/> naming
    /// the text when it is not a fraction in (0, 1).
    /// </summary>
    public static double ParseThreshold(string text) => ParseFraction(text, "threshold", "5% or 0.05", allowZero: false);

    /// <summary>
    /// A fraction as users write it (<c>5%</c> or <c>0.05</c>) in (0, 1), or [0, 1) with <paramref name="allowZero"/>;
    /// throws <see cref="FormatException"/> naming <paramref name="what"/> and the text otherwise.
    /// </summary>
    internal static double ParseFraction(string text, string what, string example, bool allowZero)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (!double.TryParse(percent ? t[..^1] : t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{what} '{text}' is not a number (write {example})");
        }

        var fraction = percent ? value / 100 : value;
        if (!((allowZero ? fraction >= 0 : fraction > 0) && fraction < 1))
        {
            throw new FormatException(allowZero ? $"{what} '{text}' must lie in [0%, 100%)" : $"{what} '{text}' must lie strictly between 0% and 100%");
        }

        return fraction;
    }

    internal static void CheckThreshold(double threshold)
    {
        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold is a fraction in (0, 1), e.g. 0.05 for 5%");
        }
    }
}
