namespace RfcnPerf.Statistics.Tests;

public sealed class EstimatorTests
{
    [Fact]
    public void SplitMix64MatchesItsPublishedSequence()
    {
        // The reference outputs of Vigna's splitmix64.c for the seed 1234567.
        var rng = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, expected.Select(_ => rng.Next()).ToArray());
    }

    [Theory]
    [InlineData(2.0, 3.0, 0.5, 11.0 / 16)] // binomial: P(at least 2 of 4 fair coins) = (6 + 4 + 1) / 16
    [InlineData(1.0, 1.0, 0.3, 0.3)] // the uniform distribution's CDF
    [InlineData(5.0, 1.0, 0.9, 0.59049)] // x^a when b = 1
    public void TheRegularizedIncompleteBetaMatchesClosedForms(double a, double b, double x, double expected)
    {
        // Closed forms, computed by hand. Perfolizer's series stops at about 1e-8 (measured: 5.0e-9 off at I_0.5(2, 3),
        // 3.3e-9 at I_0.9(5, 1)); early stopping compares the tail with 1 - 0.99 = 0.01, six orders of magnitude coarser.
        const double Tolerance = 1e-8;
        Assert.Equal(expected, IncompleteBeta.Regularized(a, b, x), Tolerance);
    }

    [Fact]
    public void BoundedIntegersStayInRangeAndCoverIt()
    {
        var rng = new SplitMix64(42);
        var seen = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            seen[rng.NextInt(7)]++;
        }

        Assert.All(seen, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData(new[] { 3.0, 1, 2 }, 50, 2.0)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 50, 2.5)]
    [InlineData(new[] { 10.0, 20, 30, 40, 50 }, 90, 46.0)]
    [InlineData(new[] { 10.0, 20, 30, 40, 50 }, 0, 10.0)]
    [InlineData(new[] { 10.0, 20, 30, 40, 50 }, 100, 50.0)]
    public void LinearPercentileIsNumpysDefault(double[] values, double percent, double expected) =>
        Assert.Equal(expected, Percentiles.Linear(values, percent), 12);

    [Fact]
    public void PairedRatioIsReproducibleFromItsSeed()
    {
        var (a, b) = CoverageTests.SyntheticRounds(0.8, 40, 5);
        var first = PairedRatio.Estimate(a, b, 99);
        var again = PairedRatio.Estimate(a, b, 99);
        Assert.Equal(first, again);
        Assert.Contains("seed 99", first.Method, StringComparison.Ordinal);

        // Another seed draws other resamples: the point estimate stays, some interval end moves.
        var others = Enumerable.Range(100, 5).Select(s => PairedRatio.Estimate(a, b, (ulong)s)).ToList();
        Assert.All(others, o => Assert.Equal(first.Ratio, o.Ratio));
        Assert.Contains(others, o => o.Lower != first.Lower || o.Upper != first.Upper);
    }

    [Fact]
    public void PairedRatioCallsAClearSpeedUpFaster()
    {
        var (a, b) = CoverageTests.SyntheticRounds(0.6, 40, 8);
        var r = PairedRatio.Estimate(a, b, 1);
        Assert.Equal(Verdict.Faster, r.Verdict);
        Assert.InRange(r.Ratio, 0.55, 0.65);
        var (speedUp, lo, hi) = r.AsSpeedUp();
        Assert.InRange(speedUp, lo, hi);
        Assert.True(lo > 1);
    }

    [Fact]
    public void PairedRatioRejectsMismatchedOrNonPositiveTimes()
    {
        Assert.Throws<ArgumentException>(() => PairedRatio.Estimate([1.0, 2.0], [1.0], 1));
        Assert.Contains("round 1", Assert.Throws<ArgumentException>(() => PairedRatio.Estimate([1.0, 0.0], [1.0, 1.0], 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnpairedRatioCallsAClearSlowdownSlowerAndFewSamplesUnknown()
    {
        var rng = new SplitMix64(3);
        double[] Times(int n, double median) => [.. Enumerable.Range(0, n).Select(_ => median * Math.Exp(0.05 * ((rng.NextDouble() * 2) - 1)))];
        var slower = UnpairedRatio.Estimate(Times(40, 10), Times(45, 12));
        Assert.Equal(Verdict.Slower, slower.Verdict);
        Assert.InRange(slower.Ratio, 1.15, 1.25);
        Assert.Equal(40, slower.Rounds);
        Assert.Contains("Edgeworth", slower.Method, StringComparison.Ordinal);
        var few = UnpairedRatio.Estimate(Times(20, 10), Times(20, 12));
        Assert.Equal(Verdict.Unknown, few.Verdict);
        Assert.True(few.Lower > 1.05);
        Assert.Contains("exact", few.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnpairedDifferenceIsTheHodgesLehmannShiftWithTheRatiosInterval()
    {
        // B = A + 3 exactly: every pairwise difference b_j - a_i is 3 + (a_j - a_i), symmetric about 3.
        double[] a = [.. Enumerable.Range(1, 40).Select(i => (double)i)];
        double[] b = [.. a.Select(x => x + 3)];
        var (shift, lower, upper) = UnpairedRatio.Difference(a, b);
        Assert.Equal(3.0, shift);
        Assert.True(lower < 3 && upper > 3 && upper - 3 == 3 - lower, $"[{lower}, {upper}]");

        // The same ranks as the ratio's interval: on log times the difference is the ratio's log.
        var ratio = UnpairedRatio.Estimate(a, b);
        var logs = UnpairedRatio.Difference([.. a.Select(x => Math.Log(x))], [.. b.Select(x => Math.Log(x))]);
        Assert.Equal(Math.Log(ratio.Lower), logs.Lower, 1e-12);
        Assert.Equal(Math.Log(ratio.Upper), logs.Upper, 1e-12);
        Assert.Throws<ArgumentException>(() => UnpairedRatio.Difference([], [1.0]));
    }

    [Fact]
    public void EmptySamplesGiveNoEstimate()
    {
        Assert.Equal(Verdict.Unknown, UnpairedRatio.Estimate([], [1.0]).Verdict);
        Assert.True(double.IsNaN(PairedRatio.Estimate([], [], 1).Ratio));
    }
}
