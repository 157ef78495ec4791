using System.Globalization;

namespace RfcnPerf.Bench.Reporting;

/// <summary>Number formatting and table helpers for the Markdown summary (invariant culture, "-" for unknown).</summary>
internal static class Md
{
    /// <summary>A number with a sensible count of decimals for its size.</summary>
    public static string N(double value) => !double.IsFinite(value)
        ? "-"
        : value.ToString(Math.Abs(value) >= 100 ? "F0" : Math.Abs(value) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    /// <summary>A number with fixed decimals.</summary>
    public static string F(double value, int decimals) => !double.IsFinite(value)
        ? "-"
        : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A ratio such as <c>0.98x</c>.</summary>
    public static string X(double ratio) => double.IsFinite(ratio) ? F(ratio, ratio >= 10 ? 1 : 2) + "x" : "-";

    /// <summary>A percentage.</summary>
    public static string Pct(double percent) => double.IsFinite(percent) ? F(percent, percent >= 10 ? 0 : 1) + " %" : "-";

    /// <summary>A table with a header row.</summary>
    /// <remarks>The first <paramref name="textColumns"/> columns are left-aligned, the rest (numbers) right-aligned.</remarks>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", header) + " |",
            "|" + string.Concat(header.Select((_, i) => i < textColumns ? "---|" : "---:|")),
        };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |"));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Short name of a benchmark class for configuration descriptions.</summary>
    public static string Kind(string benchmark) => benchmark switch
    {
        "RealTimeBenchmarks" => "real-time intra-op sweep",
        "BatchThroughputBenchmarks" => "batch sweep",
        "InterOpBenchmarks" => "inter-op sweep",
        "StreamsBenchmarks" => "streams",
        "SingleCoreBenchmarks" => "single core",
        "EndToEndBenchmarks" => "end to end",
        "PipelinedThroughputBenchmarks" => "end-to-end throughput",
        "SessionOverheadBenchmarks" => "overhead",
        "SessionCreationBenchmarks" => "session creation",
        _ => benchmark,
    };

    /// <summary>How a case was run, e.g. <c>batch sweep: batch 8, intra=0 (ORT default), sequential</c>.</summary>
    public static string Configuration(CaseResult c) => $"{Kind(c.Benchmark)}: {c.Point.Describe()}";
}
