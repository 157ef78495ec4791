using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace RfcnPerf.Statistics;

/// <summary>
/// The Mann-Whitney U test, two-sided, as Perfolizer computes it: the exact null distribution (Loeffler's
/// recurrence) while the two samples hold at most <see cref="ExactLimit"/> values together, Edgeworth's expansion
/// above, computed here in double arithmetic: Perfolizer 0.6.1's own Edgeworth CDF multiplies sample sizes as
/// 32-bit integers (5 m n (m + n) passes 2^31 from about 600 values a side, n m (n + m + 1) from about 1,024), and
/// with 1,068 latencies a side it gave an interval whose ends were swapped. SciPy's names for the same:
/// <c>method='exact'</c> below the limit; above it SciPy's exact distribution (and, for load runs' sizes, its
/// asymptotic test) is the reference the approximation is tested against.
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
        if (x.Count + y.Count <= ExactLimit)
        {
            var exact = MannWhitneyTest.Instance.PerformStrategy(new Sample(x), new Sample(y), AlternativeHypothesis.TwoSides, Threshold.Zero, MannWhitneyStrategy.LoefflerExact);
            return (exact.Ux, exact.PValue, MethodName(x.Count, y.Count));
        }

        // U from Perfolizer's ranks (its p-value here is the normal approximation's, with the same 32-bit products:
        // not used); the two-sided p-value as Perfolizer forms it, 2 min(P(U >= Ux), P(U >= Uy)), from the CDF below.
        var ranked = MannWhitneyTest.Instance.PerformStrategy(new Sample(x), new Sample(y), AlternativeHypothesis.TwoSides, Threshold.Zero, MannWhitneyStrategy.NormalApprox);
        var (n, m) = (x.Count, y.Count);
        var greaterX = 1 - EdgeworthCdf(n, m, Math.Round(ranked.Ux));
        var greaterY = 1 - EdgeworthCdf(m, n, Math.Round(ranked.Uy));
        return (ranked.Ux, Math.Min(2 * Math.Min(greaterX, greaterY), 1), MethodName(n, m));
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
        Func<int, double> cdf = n + m <= ExactLimit ? u => MannWhitneyLoefflerExactCdf.Instance.Cdf(n, m, u) : u => EdgeworthCdf(n, m, u);

        // Cdf(u) is P(U < u) (Perfolizer's convention), so P(U <= q) = Cdf(q + 1); it rises with q: binary search.
        int lo = 0, hi = checked(n * m);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (cdf(mid + 1) >= alpha / 2)
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

    /// <summary>
    /// P(U &lt; <paramref name="u"/>) by Edgeworth's expansion to the seventh Hermite term, with the continuity
    /// correction: Perfolizer's MannWhitneyEdgeworthApproxCdf (A. Akinshin, "Edgeworth expansion for the Mann-Whitney
    /// U test, Part 2") term for term, every product in double precision. Below 2^31 the products are the same
    /// integers, so where Perfolizer does not overflow the two agree to rounding (tested).
    /// </summary>
    internal static double EdgeworthCdf(int n, int m, double u)
    {
        double nd = n, md = m;
        double nm = nd * md, sum = nd + md, size = nm * (sum + 1);
        var mu = nm / 2.0;
        var mu2 = size / 12.0;
        var z = (u - mu - 0.5) / Math.Sqrt(mu2);
        var phi = NormalDistribution.Standard.Pdf(z);
        var cdf = NormalDistribution.Standard.Cdf(z);

        double P(double v, int k) => Math.Pow(v, k);
        var mu4 = size * ((5 * nm * sum) - (2 * (P(md, 2) + P(nd, 2))) + (3 * nm) - (2 * sum)) / 240.0;
        var mu6 = size * (
            (35 * P(md, 2) * P(nd, 2) * (P(md, 2) + P(nd, 2)))
            + (70 * P(md, 3) * P(nd, 3))
            - (42 * nm * (P(md, 3) + P(nd, 3)))
            - (14 * P(md, 2) * P(nd, 2) * sum)
            + (16 * (P(nd, 4) + P(md, 4)))
            - (52 * nm * (P(nd, 2) + P(md, 2)))
            - (43 * P(nd, 2) * P(md, 2))
            + (32 * (P(md, 3) + P(nd, 3)))
            + (14 * nm * sum)
            + (8 * (P(nd, 2) + P(md, 2)))
            + (16 * nm)
            - (8 * sum)) / 4032.0;

        var e3 = ((mu4 / Math.Pow(mu2, 2)) - 3) / 24.0;
        var e5 = ((mu6 / Math.Pow(mu2, 3)) - (15 * mu4 / Math.Pow(mu2, 2)) + 30) / 720.0;
        var e7 = 35 * Math.Pow((mu4 / Math.Pow(mu2, 2)) - 3, 2) / 40320.0;
        var h3 = P(z, 3) - (3 * z);
        var h5 = P(z, 5) - (10 * P(z, 3)) + (15 * z);
        var h7 = P(z, 7) - (21 * P(z, 5)) + (105 * P(z, 3)) - (105 * z);
        var edgeworth = cdf - (e3 * phi * h3) - (e5 * phi * h5) - (e7 * phi * h7);
        return Math.Min(Math.Max(edgeworth, 0), 1);
    }
}
