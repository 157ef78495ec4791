using Perfolizer.Mathematics.Functions;

namespace RfcnPerf.Statistics;

/// <summary>
/// The regularized incomplete beta function I_x(a, b): the binomial tail behind LoadGen's early stopping
/// (P(at most t failures in h + t trials) = I_{p}(h, t + 1)). Perfolizer computes it; this is the one door to it, so
/// every statistic the project reports comes from this module.
/// </summary>
public static class IncompleteBeta
{
    /// <summary>I_<paramref name="x"/>(<paramref name="a"/>, <paramref name="b"/>) for a, b &gt; 0 and 0 &lt;= x &lt;= 1.</summary>
    public static double Regularized(double a, double b, double x) => BetaFunction.RegularizedIncompleteValue(a, b, x);
}
