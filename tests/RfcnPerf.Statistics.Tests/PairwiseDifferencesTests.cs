using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;

namespace RfcnPerf.Statistics.Tests;

/// <summary>The selection of pairwise differences against sorting them all, and the double-precision Edgeworth CDF against Perfolizer's where Perfolizer does not overflow.</summary>
public sealed class PairwiseDifferencesTests
{
    // Perfolizer multiplies as 32-bit integers but in the same order; below the overflow the two CDFs differ only by
    // the order of the final additions (a few ulp of a probability).
    private const double CdfRounding = 1e-15;

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 2)]
    [InlineData(40, 33, 3)]
    [InlineData(300, 257, 4)]
    public void EveryOrderStatisticEqualsTheSortedDifferences(int n, int m, int seed)
    {
        var random = new Random(seed);
        // Ties on purpose (values on a coarse grid), negative and positive differences, and a zero difference.
        double[] a = [.. Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 20, 1) - 10).Order()];
        double[] b = [.. Enumerable.Range(0, m).Select(_ => Math.Round(random.NextDouble() * 20, 1) - 9).Order()];
        var sorted = b.SelectMany(y => a.Select(x => y - x)).Order().ToArray();
        var step = Math.Max(1, sorted.Length / 97);
        for (var k = 1; k <= sorted.Length; k += step)
        {
            Assert.Equal(sorted[k - 1], PairwiseDifferences.KthSmallest(a, b, k));
        }

        Assert.Equal(sorted[^1], PairwiseDifferences.KthSmallest(a, b, sorted.Length));
        var middle = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        Assert.Equal(middle, PairwiseDifferences.Median(a, b));
    }

    [Fact]
    public void DifferencesSpanningEveryScaleAreFound()
    {
        double[] a = [-1e300, -1e-300, 0, 5e-324, 1e-10, 3];
        double[] b = [-2, 0, 1e-300, 1e300];
        var sorted = b.SelectMany(y => a.Select(x => y - x)).Order().ToArray();
        for (var k = 1; k <= sorted.Length; k++)
        {
            Assert.Equal(sorted[k - 1], PairwiseDifferences.KthSmallest(a, b, k));
        }
    }

    [Theory]
    [InlineData(40, 40)]
    [InlineData(100, 80)]
    [InlineData(300, 250)]
    public void EdgeworthMatchesPerfolizerBelowItsOverflow(int n, int m)
    {
        foreach (var u in new[] { 0, 1, n * m / 4, (n * m / 2) - 7, n * m / 2, (3 * n * m) / 4, (n * m) - 1 })
        {
            Assert.Equal(MannWhitneyEdgeworthApproxCdf.Instance.Cdf(n, m, u), MannWhitney.EdgeworthCdf(n, m, u), CdfRounding);
        }
    }

    [Fact]
    public void AtLoadRunSizesTheIntervalIsOrderedAndPerfolizerIsNot()
    {
        // The sizes of a 60 s server run at 18 QPS, where Perfolizer's 32-bit products overflow.
        const int n = 1068;
        Assert.True(MannWhitney.EdgeworthCdf(n, n, n * n / 2) > MannWhitney.EdgeworthCdf(n, n, (n * n / 2) - 20_000));
        var rank = MannWhitney.CriticalRank(n, n, 0.05);
        Assert.InRange(rank, 1, (n * n / 2) - 1);
        var random = new Random(5);
        var a = Enumerable.Range(0, n).Select(_ => 40 * Math.Exp(random.NextDouble())).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => 42 * Math.Exp(random.NextDouble())).ToArray();
        var r = UnpairedRatio.Estimate(a, b);
        Assert.True(r.Lower < r.Ratio && r.Ratio < r.Upper, $"[{r.Lower}, {r.Upper}] around {r.Ratio}");
    }
}
