using System.Globalization;
using System.Text;

namespace RfcnPerf.Reports;

/// <summary>Markdown helpers: number formats and pipe tables.</summary>
internal static class Md
{
    /// <summary>A stat with three decimals like pycocotools prints it; "n/a" for -1 (no ground truth).</summary>
    public static string Stat(double v) => v < 0 ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed delta with three decimals, e.g. <c>-0.021</c> or <c>+0.004</c>.</summary>
    public static string Delta(double v) => double.IsNaN(v) ? "n/a" : (v >= 0 ? "+" : "\u2212") + Math.Abs(v).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed relative change in percent, e.g. <c>-8.5%</c>.</summary>
    public static string Percent(double fraction) => double.IsNaN(fraction) || double.IsInfinity(fraction)
        ? "n/a"
        : (fraction >= 0 ? "+" : "\u2212") + Math.Abs(fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Milliseconds with two decimals.</summary>
    public static string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A number with one decimal.</summary>
    public static string N1(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A ratio such as <c>3.12x</c>.</summary>
    public static string Times(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>A pipe table; columns after the first are right-aligned when <paramref name="numeric"/>.</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, bool numeric = true)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", headers.Select(Escape)).Append(" |\n");
        sb.Append('|').AppendJoin('|', headers.Select((_, i) => i == 0 || !numeric ? "---" : "---:")).Append("|\n");
        foreach (var row in rows)
        {
            sb.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
