using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Core.Tests;

public sealed class LatencySummaryTests
{
    // Linear interpolation between order statistics is a couple of double operations on small numbers.
    private const double Tolerance = 1e-12;

    [Fact]
    public void The_first_sample_is_reported_apart_and_excluded()
    {
        // Steady samples 1..5 (unsorted); the 100 ms warm-up must not leak into any statistic.
        var s = LatencySummary.FromSamples([100, 5, 1, 4, 2, 3]);

        Assert.Equal(5, s.Count);
        Assert.Equal(100, s.FirstMs);
        Assert.Equal(3, s.MeanMs, Tolerance);
        Assert.Equal(3, s.P50Ms, Tolerance);
        // numpy.percentile([1,2,3,4,5], 90) = 4.6, 99 -> 4.96.
        Assert.Equal(4.6, s.P90Ms, Tolerance);
        Assert.Equal(4.96, s.P99Ms, Tolerance);
        Assert.Equal((1.0, 5.0), (s.MinMs, s.MaxMs));
    }

    [Theory]
    // numpy.percentile([1, 2, 3, 4], q)
    [InlineData(0, 1.0)]
    [InlineData(50, 2.5)]
    [InlineData(90, 3.7)]
    [InlineData(99, 3.97)]
    [InlineData(100, 4.0)]
    public void Percentiles_interpolate_like_numpy(double percent, double expected)
    {
        Assert.Equal(expected, LatencySummary.Percentile([1.0, 2, 3, 4], percent), Tolerance);
    }

    [Fact]
    public void Edge_cases_one_sample_and_none()
    {
        var one = LatencySummary.FromSamples([7.0]);
        Assert.Equal((1, 7.0, 7.0, 7.0), (one.Count, one.FirstMs, one.P50Ms, one.MaxMs));

        var none = LatencySummary.FromSamples([]);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.MeanMs) && double.IsNaN(none.P99Ms));
    }
}
