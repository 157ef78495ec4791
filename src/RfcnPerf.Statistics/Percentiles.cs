using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace RfcnPerf.Statistics;

/// <summary>
/// The percentile definitions the project uses, by name, each with its users. There is one today:
/// <see cref="Linear"/>, Hyndman and Fan's type 7 (numpy.percentile's default <c>linear</c>, R's default, Excel's
/// PERCENTILE.INC; Perfolizer's SimpleQuantileEstimator, which BenchmarkDotNet's percentile columns use too). Its
/// users: latency summaries (p50/p90/p99 of requests), the median of per-round log ratios, and the ends of the
/// percentile-bootstrap interval (as SciPy's <c>bootstrap(method='percentile')</c> takes them). A new use that needs
/// another definition adds it here under its own name.
/// </summary>
public static class Percentiles
{
    private static readonly IQuantileEstimator Type7 = HyndmanFanQuantileEstimator.Type7;

    /// <summary>
    /// Hyndman-Fan type 7 percentile (<paramref name="percent"/> in [0, 100]) of <paramref name="values"/> (any
    /// order): linear interpolation between the order statistics at rank (n - 1) p. NaN for no values.
    /// </summary>
    public static double Linear(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return values.Count == 0 ? double.NaN : Type7.Quantile(new Sample(values), percent / 100).NominalValue;
    }

    /// <summary>The median: <see cref="Linear"/> at 50 (the mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values) => Linear(values, 50);
}
