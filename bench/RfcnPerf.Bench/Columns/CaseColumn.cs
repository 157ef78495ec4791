using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RfcnPerf.Reporting;

namespace RfcnPerf.Bench.Columns;

/// <summary>
/// A numeric column computed from a case's mean time per request and its <see cref="CaseInfo"/>; shows "n/a"
/// where the quantity does not apply and "NA" where the case has no result.
/// </summary>
public abstract class CaseColumn : IColumn
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract string ColumnName { get; }

    /// <inheritdoc />
    public abstract string Legend { get; }

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public abstract int PriorityInCategory { get; }

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null)
        {
            return "NA";
        }

        var value = Compute(CaseInfo.Of(benchmarkCase), stats.Mean / 1e6);
        return value is { } v && double.IsFinite(v) ? Format(v) : Md.Unknown;
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => typeof(ISweepCase).IsAssignableFrom(c.Descriptor.Type));

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The value for a case whose mean time per request is <paramref name="meanMs"/>, or null when it does not apply.</summary>
    internal abstract double? Compute(CaseInfo info, double meanMs);

    /// <summary>Formats a value (invariant culture).</summary>
    private protected virtual string Format(double value) => value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Images per second of a case.</summary>
    internal static double ImagesPerSecond(CaseInfo info, double meanMs) => info.Point.ImagesPerInvocation * 1000.0 / meanMs;
}
