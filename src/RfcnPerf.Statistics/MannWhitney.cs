using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace RfcnPerf.Statistics;

/// <summary>
/// The Mann-Whitney U test, two-sided, as Perfolizer computes it: the exact null distribution (Loeffler's
/// recurrence) while the two samples hold at most <see cref="ExactLimit"/> values together, Edgeworth's expansion
/// above. SciPy's names for the same: <c>method='exact'</c> below the limit; above it SciPy's exact distribution
/// is the reference the approximation is tested against.
/// </summary>
public static class MannWhitney
{
    /// <summary>
    /// Largest n + m computed exactly. Perfolizer's own automatic choice goes one further (65, its binomial table's
    /// size), but at n + m = 65 with 31 to 34 values per side its Loeffler recurrence overflows a 64-bit integer and
    /// returns p-values off by up to 0.2 (found by the SciPy comparison test); so the strategy is chosen here.
    /// </summary>
    public const int ExactLimit = BinomialCoefficientHelper.MaxAcceptableN - 1;

    /// <summary>U of <paramref name="x"/> (pairs with x &gt; y, ties counting half: SciPy's statistic) and the two-sided p-value.</summary>
    public static (double U, double PValue, string Method) Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var strategy = x.Count + y.Count <= ExactLimit ? MannWhitneyStrategy.LoefflerExact : MannWhitneyStrategy.EdgeworthApprox;
        var result = MannWhitneyTest.Instance.PerformStrategy(new Sample(x), new Sample(y), AlternativeHypothesis.TwoSides, Threshold.Zero, strategy);
        return (result.Ux, result.PValue, MethodName(x.Count, y.Count));
    }

    /// <summary>"exact" or "Edgeworth approximation", as <see cref="Test"/> and <see cref="CriticalRank"/> choose for these sizes.</summary>
    public static string MethodName(int n, int m) => n + m <= ExactLimit ? "exact" : "Edgeworth approximation";

    /// <summary>
    /// The rank k of the two-sided (1 - <paramref name="alpha"/>) interval of a shift: the smallest q with
    /// P(U &lt;= q) &gt;= alpha / 2 under the null (at least 1), as R's wilcox.test takes it; the interval is the k-th
    /// smallest to the k-th largest of the n m pairwise differences.
    /// </summary>
    public static int CriticalRank(int n, int m, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        IMannWhitneyCdf cdf = n + m <= ExactLimit ? MannWhitneyLoefflerExactCdf.Instance : MannWhitneyEdgeworthApproxCdf.Instance;

        // Perfolizer's Cdf(n, m, u) is P(U < u), so P(U <= q) = Cdf(n, m, q + 1); it rises with q: binary search.
        int lo = 0, hi = n * m;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (cdf.Cdf(n, m, mid + 1) >= alpha / 2)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return Math.Max(1, lo);
    }
}
