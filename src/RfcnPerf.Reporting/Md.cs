using System.Globalization;
using System.Text;
using RfcnPerf.Statistics;

namespace RfcnPerf.Reporting;

/// <summary>
/// Markdown number formats and pipe tables for every report (invariant culture). One convention:
/// an unknown or undefined value prints <see cref="Unknown"/>; a percentage is one decimal with no space
/// (<c>8.5%</c>), signed with <c>+</c>/<c>−</c> when it is a change; a ratio ends in <c>x</c>.
/// </summary>
public static class Md
{
    /// <summary>What every format prints for a value that is unknown, undefined or not finite.</summary>
    public const string Unknown = "n/a";

    /// <summary>A COCO stat with three decimals like pycocotools prints it; <see cref="Unknown"/> for -1 (no ground truth).</summary>
    public static string Stat(double v) => v < 0 || double.IsNaN(v) ? Unknown : v.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed difference with three decimals, e.g. <c>−0.021</c> or <c>+0.004</c>.</summary>
    public static string Delta(double v) => !double.IsFinite(v) ? Unknown : Sign(v) + Math.Abs(v).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed relative change given as a fraction, e.g. <c>−8.5%</c> for -0.085.</summary>
    public static string Change(double fraction) => !double.IsFinite(fraction) ? Unknown : Sign(fraction) + Percent(Math.Abs(fraction));

    /// <summary>A share given as a fraction, e.g. <c>8.5%</c> for 0.085.</summary>
    public static string Percent(double fraction) => !double.IsFinite(fraction) ? Unknown : (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Milliseconds with two decimals.</summary>
    public static string Ms(double v) => F(v, 2);

    /// <summary>A number with one decimal.</summary>
    public static string N1(double v) => F(v, 1);

    /// <summary>A number with a count of decimals for its size (0 from 100, 1 from 10, else 2).</summary>
    public static string N(double v) => !double.IsFinite(v)
        ? Unknown
        : v.ToString(Math.Abs(v) >= 100 ? "F0" : Math.Abs(v) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    /// <summary>A number with fixed decimals.</summary>
    public static string F(double v, int decimals) => !double.IsFinite(v)
        ? Unknown
        : v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A ratio such as <c>0.98x</c> (one decimal from 10x).</summary>
    public static string Times(double ratio) => !double.IsFinite(ratio) ? Unknown : F(ratio, ratio >= 10 ? 1 : 2) + "x";

    /// <summary>A time ratio with its 95% interval, e.g. <c>0.873x [0.851, 0.897]</c>.</summary>
    public static string Interval(RatioEstimate r) => !double.IsFinite(r.Ratio)
        ? Unknown
        : string.Create(CultureInfo.InvariantCulture, $"{r.Ratio:F3}x [{F(r.Lower, 3)}, {F(r.Upper, 3)}]");

    /// <summary>
    /// The ratio as a speed-up (A's time / B's, so above 1 B is faster) with its interval, e.g. <c>1.15x [1.11, 1.18]</c>.
    /// </summary>
    public static string SpeedUp(RatioEstimate r)
    {
        var (speedUp, lower, upper) = r.AsSpeedUp();
        return !double.IsFinite(speedUp) ? Unknown : string.Create(CultureInfo.InvariantCulture, $"{speedUp:F2}x [{F(lower, 2)}, {F(upper, 2)}]");
    }

    /// <summary>
    /// The verdict word; "unknown" says why when it was too few rounds, e.g. <c>unknown (4 rounds &lt; 30)</c>.
    /// </summary>
    public static string Verdict(RatioEstimate r) => r.Verdict == Statistics.Verdict.Unknown && r.Rounds < VerdictRule.MinRounds
        ? string.Create(CultureInfo.InvariantCulture, $"unknown ({r.Rounds} rounds < {VerdictRule.MinRounds})")
        : r.Verdict.Word();

    /// <summary>A pipe table with a header row.</summary>
    /// <remarks>The first <paramref name="textColumns"/> columns are left-aligned, the rest (numbers) right-aligned.</remarks>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header.Select(Escape)).Append(" |\n");
        sb.Append('|').AppendJoin('|', header.Select((_, i) => i < textColumns ? "---" : "---:")).Append("|\n");
        foreach (var row in rows)
        {
            sb.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string Sign(double v) => v >= 0 ? "+" : "\u2212";

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
