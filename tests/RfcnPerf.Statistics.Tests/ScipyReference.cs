using System.Text.Json;

namespace RfcnPerf.Statistics.Tests;

/// <summary>The values SciPy and NumPy computed for the tests (Data/scipy-reference.json, tools/statistics-reference).</summary>
internal sealed record ScipyReference(
    string Scipy,
    double Alpha,
    IReadOnlyList<ScipyReference.MannWhitneyCase> MannWhitney,
    IReadOnlyList<ScipyReference.HodgesLehmannCase> HodgesLehmann,
    IReadOnlyList<ScipyReference.BootstrapCase> PercentileBootstrap,
    IReadOnlyList<ScipyReference.LargeSampleCase> LargeSamples)
{
    private static readonly Lazy<ScipyReference> Cached = new(() =>
        JsonSerializer.Deserialize<ScipyReference>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "scipy-reference.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    public static ScipyReference Load() => Cached.Value;

    /// <summary>scipy.stats.mannwhitneyu(x, y, alternative='two-sided') with method='exact' and method='asymptotic'.</summary>
    public sealed record MannWhitneyCase(double[] X, double[] Y, double U, double PExact, double PAsymptotic);

    /// <summary>
    /// Hodges-Lehmann of ln b - ln a (numpy.median of the pairwise differences) and the interval found by inverting
    /// SciPy's exact Mann-Whitney test; for n + m above 65 also by inverting its asymptotic test.
    /// </summary>
    public sealed record HodgesLehmannCase(double[] A, double[] B, double LogShift, double LogLower, double LogUpper, int Rank,
        double? AsymptoticLogLower, double? AsymptoticLogUpper, int? AsymptoticRank);

    /// <summary>Percentile bootstrap of the median log ratio on the committed resample indices.</summary>
    public sealed record BootstrapCase(double[] A, double[] B, int[][] Indices, double Ratio, double Lower, double Upper);

    /// <summary>
    /// 700 to 2,500 values a side: U and p of scipy.stats.mannwhitneyu(b, a, method='asymptotic'), numpy.median of the
    /// pairwise ln b - ln a, and the interval by inverting the asymptotic test (its ends found by bisection).
    /// </summary>
    public sealed record LargeSampleCase(double[] A, double[] B, double U, double PAsymptotic, double LogShift,
        double AsymptoticLogLower, double AsymptoticLogUpper, int AsymptoticRank);
}
