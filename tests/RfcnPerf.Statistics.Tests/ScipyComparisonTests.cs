namespace RfcnPerf.Statistics.Tests;

/// <summary>The module's Mann-Whitney, Hodges-Lehmann and bootstrap figures against SciPy's on the same inputs.</summary>
public sealed class ScipyComparisonTests
{
    // Perfolizer's p-value is 1 - CDF: it carries the CDF's rounding (a few 1e-16) absolutely, so a tiny p-value is
    // good to that absolute figure, not relatively. SciPy's exact p sums the same distribution in another order.
    private const double ExactPValueAbsolute = 1e-12;

    // Above 65 values Perfolizer switches to Edgeworth's expansion (three terms past the normal); against SciPy's exact
    // distribution its error for these sizes (80 to 180 values) is below 1e-3 in p.
    private const double EdgeworthPValueAbsolute = 1e-3;

    // numpy.log and .NET's Math.Log are both correctly rounded to within 1 ulp but may differ in the last bit; a
    // difference of two logs of ~3.7 then differs by up to ~1e-15. Ends and shifts are compared in log units to this.
    private const double LogUlps = 4e-15;

    // How far (in standard deviations of U) Edgeworth's 2.5% quantile may sit from the normal approximation's at 700 to
    // 2,500 values a side: its correction terms shrink as 1/n; 1e-3 sd is seven times the largest seen.
    private const double EdgeworthQuantileShiftSd = 1e-3;

    public static TheoryData<int> MannWhitneyCases() => [.. Enumerable.Range(0, ScipyReference.Load().MannWhitney.Count)];

    public static TheoryData<int> HodgesLehmannCases() => [.. Enumerable.Range(0, ScipyReference.Load().HodgesLehmann.Count)];

    public static TheoryData<int> BootstrapCases() => [.. Enumerable.Range(0, ScipyReference.Load().PercentileBootstrap.Count)];

    [Theory]
    [MemberData(nameof(MannWhitneyCases))]
    public void MannWhitneyUAndPValueMatchScipy(int index)
    {
        var c = ScipyReference.Load().MannWhitney[index];
        var (u, p, method) = MannWhitney.Test(c.X, c.Y);
        Assert.Equal(c.U, u);
        if (c.X.Length + c.Y.Length <= MannWhitney.ExactLimit)
        {
            Assert.Equal("exact", method);
            Assert.Equal(c.PExact, p, ExactPValueAbsolute);
        }
        else
        {
            Assert.Equal("Edgeworth approximation", method);
            Assert.Equal(c.PExact, p, EdgeworthPValueAbsolute);
        }
    }

    [Theory]
    [MemberData(nameof(HodgesLehmannCases))]
    public void HodgesLehmannEstimateAndIntervalMatchScipy(int index)
    {
        var c = ScipyReference.Load().HodgesLehmann[index];
        var r = UnpairedRatio.Estimate(c.A, c.B);
        Assert.Equal(c.LogShift, Math.Log(r.Ratio), LogUlps);
        var rank = MannWhitney.CriticalRank(c.A.Length, c.B.Length, ScipyReference.Load().Alpha);
        var exact = c.A.Length + c.B.Length <= MannWhitney.ExactLimit;
        if (exact)
        {
            Assert.Equal(c.Rank, rank);
            Assert.Equal(c.LogLower, Math.Log(r.Lower), LogUlps);
            Assert.Equal(c.LogUpper, Math.Log(r.Upper), LogUlps);
        }
        else
        {
            // Edgeworth's tail probability may put the rank one step from the exact one (SciPy's own normal
            // approximation does: see the asymptotic rank in the data); more would be a wrong inversion.
            Assert.InRange(rank, c.Rank - 1, c.Rank + 1);
            var (lower, upper) = UnpairedRatio.Interval([.. c.A.Select(v => Math.Log(v)).Order()], [.. c.B.Select(v => Math.Log(v)).Order()], ScipyReference.Load().Alpha);
            Assert.Equal(Math.Log(r.Lower), lower, LogUlps);
            Assert.Equal(Math.Log(r.Upper), upper, LogUlps);
            if (rank == c.Rank)
            {
                Assert.Equal(c.LogLower, lower, LogUlps);
                Assert.Equal(c.LogUpper, upper, LogUlps);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BootstrapCases))]
    public void PercentileBootstrapOnCommittedIndicesMatchesNumpy(int index)
    {
        var c = ScipyReference.Load().PercentileBootstrap[index];
        var logs = PairedRatio.LogRatios(c.A, c.B);
        var r = PairedRatio.FromLogRatios(logs, c.Indices, VerdictRule.DefaultThreshold, "test");
        Assert.Equal(Math.Log(c.Ratio), Math.Log(r.Ratio), LogUlps);
        Assert.Equal(Math.Log(c.Lower), Math.Log(r.Lower), LogUlps);
        Assert.Equal(Math.Log(c.Upper), Math.Log(r.Upper), LogUlps);
        Assert.Equal(c.A.Length, r.Rounds);
    }

    public static TheoryData<int> LargeSampleCases() => [.. Enumerable.Range(0, ScipyReference.Load().LargeSamples.Count)];

    /// <summary>
    /// 700 to 2,500 values a side, where Perfolizer 0.6.1's own Edgeworth CDF overflows 32-bit products (a load run's
    /// latencies: 1,068 a side once gave an interval with swapped ends). Against SciPy's asymptotic test (normal with
    /// continuity and tie correction), which Edgeworth's terms barely move at these sizes.
    /// </summary>
    [Theory]
    [MemberData(nameof(LargeSampleCases))]
    public void LargeSamplesMatchScipysAsymptoticTest(int index)
    {
        var c = ScipyReference.Load().LargeSamples[index];
        var (u, p, method) = MannWhitney.Test(c.B, c.A);
        Assert.Equal(c.U, u);
        Assert.Equal("Edgeworth approximation", method);
        Assert.Equal(c.PAsymptotic, p, EdgeworthPValueAbsolute);

        var r = UnpairedRatio.Estimate(c.A, c.B);
        Assert.Equal(c.LogShift, Math.Log(r.Ratio), LogUlps);
        var rank = MannWhitney.CriticalRank(c.A.Length, c.B.Length, ScipyReference.Load().Alpha);

        // Edgeworth's terms beyond the normal move the 2.5% quantile of U by O(1/n) of its standard deviation (2 ranks
        // of 14,000 at 1,068 a side, measured); an overflowing product moves it by thousands of deviations.
        var sd = Math.Sqrt((double)c.A.Length * c.B.Length * (c.A.Length + c.B.Length + 1) / 12);
        Assert.InRange(rank, c.AsymptoticRank - (EdgeworthQuantileShiftSd * sd), c.AsymptoticRank + (EdgeworthQuantileShiftSd * sd));
        Assert.True(r.Lower < r.Ratio && r.Ratio < r.Upper, $"interval [{r.Lower}, {r.Upper}] around {r.Ratio}");
        if (rank == c.AsymptoticRank)
        {
            Assert.Equal(c.AsymptoticLogLower, Math.Log(r.Lower), LogUlps);
            Assert.Equal(c.AsymptoticLogUpper, Math.Log(r.Upper), LogUlps);
        }
    }

    [Fact]
    public void TheReferenceWasMadeBySciPy()
    {
        var reference = ScipyReference.Load();
        Assert.False(string.IsNullOrEmpty(reference.Scipy));
        Assert.Contains(reference.MannWhitney, c => c.X.Length + c.Y.Length <= MannWhitney.ExactLimit);
        Assert.Contains(reference.MannWhitney, c => c.X.Length + c.Y.Length > MannWhitney.ExactLimit);
        Assert.Contains(reference.HodgesLehmann, c => c.A.Length + c.B.Length > MannWhitney.ExactLimit);
    }
}
