using RfcnPerf.Quantization.Calibration;

namespace RfcnPerf.Quantization.Tests;

/// <summary>Scale/zero-point arithmetic and calibration statistics against hand-computed values.</summary>
public sealed class QuantizationArithmeticTests
{
    [Theory]
    // rmin, rmax, unsigned, expected scale, expected zero point (worked by hand: scale = (rmax - rmin) / levels,
    // zp = round(qmin - rmin / scale), half to even; the range is widened to contain 0).
    [InlineData(-1.0, 3.0, true, 4.0 / 255, 64)] // 1 / (4/255) = 63.75 -> 64
    [InlineData(0.0, 6.0, true, 6.0 / 255, 0)]
    [InlineData(2.0, 5.0, true, 5.0 / 255, 0)] // rmin widened to 0
    [InlineData(-5.0, -2.0, true, 5.0 / 255, 255)] // rmax widened to 0
    [InlineData(-1.0, 1.55, false, 2.55 / 255, -28)] // -128 + 1 / 0.01 = -28
    [InlineData(-1.0, 3.0, false, 4.0 / 255, -64)] // -128 + 63.75 = -64.25 -> -64
    public void Activation_scale_and_zero_point(double rmin, double rmax, bool unsigned, double scale, int zeroPoint)
    {
        var p = QuantParams.ForActivation(rmin, rmax, unsigned);

        Assert.Equal((float)scale, p.Scale);
        Assert.Equal(zeroPoint, p.ZeroPoint);
    }

    [Fact]
    public void A_constant_zero_tensor_gets_scale_one()
    {
        Assert.Equal(new QuantParams(1f, 0), QuantParams.ForActivation(0, 0, unsigned: true));
    }

    [Fact]
    public void Weights_are_symmetric_over_minus_127_to_127()
    {
        var p = QuantParams.ForWeights(2.54);

        Assert.Equal(0.02f, p.Scale);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(-127, p.Quantize(-2.54f, -127, 127));
        Assert.Equal(127, p.Quantize(9f, -127, 127)); // clamped
        Assert.Equal(2, p.Quantize(0.03f, -127, 127)); // 1.5 -> 2 (half to even)
        Assert.Equal(0, p.Quantize(0.01f, -127, 127)); // 0.5 -> 0 (half to even)
    }

    [Fact]
    public void Bias_is_int32_at_input_scale_times_weight_scale()
    {
        var (scale, value) = QuantParams.QuantizeBias(0.5f, 0.1f, 0.02f);

        Assert.Equal(0.1f * 0.02f, scale);
        Assert.Equal(250, value);
    }

    [Fact]
    public void Uint8_round_trip_error_is_at_most_half_a_step()
    {
        var p = QuantParams.ForActivation(-0.3, 6.1, unsigned: true);
        for (var x = -0.3f; x <= 6.1f; x += 0.01f)
        {
            var back = p.Dequantize(p.Quantize(x, 0, 255));
            Assert.True(Math.Abs(back - x) <= (p.Scale / 2) + 1e-6, $"{x} -> {back}");
        }
    }

    [Fact]
    public void Statistics_track_min_max_and_count()
    {
        var s = new TensorStatistics();
        s.Add([1, 2, 3, -4]);
        s.Add([0.5f, float.NaN]);

        Assert.Equal(-4, s.Min);
        Assert.Equal(3, s.Max);
        Assert.Equal(5, s.Count);
        Assert.Equal(4, s.Radius);
        Assert.Equal((-4.0, 3.0), s.Range(CalibrationMethod.MinMax, 99.99));
    }

    [Fact]
    public void Histogram_growth_merges_bins_exactly()
    {
        // Values first seen at radius 4 then merged to radius 8 land in the bins they would have had at 8.
        var grown = new TensorStatistics();
        grown.Add([1, 2, 3, -4]);
        grown.Add([8]);
        var direct = new TensorStatistics();
        direct.Add([8, 1, 2, 3, -4]);

        Assert.Equal(8, grown.Radius);
        Assert.Equal(direct.Counts.ToArray(), grown.Counts.ToArray());
        Assert.Equal(5, grown.Counts.ToArray().Sum());
    }

    [Fact]
    public void Percentile_clips_a_far_outlier_minmax_keeps_it()
    {
        var s = new TensorStatistics();
        s.Add(Enumerable.Range(0, 10_000).Select(i => (float)i).ToArray());
        s.Add([1e6f]);

        var (lo, hi) = s.Range(CalibrationMethod.Percentile, 99.99);
        var bin = 2 * s.Radius / TensorStatistics.Bins;

        Assert.Equal(0, lo);
        Assert.InRange(hi, 9999, 9999 + bin);
        Assert.Equal(1e6, s.Range(CalibrationMethod.MinMax, 99.99).Max);
    }

    [Fact]
    public void Entropy_threshold_sits_between_the_bulk_and_the_outliers()
    {
        // A bulk spread over [-4, 4] (a deterministic triangle-ish distribution) and a few far outliers at 100.
        var values = new List<float>();
        var rng = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            values.Add((float)((rng.NextDouble() + rng.NextDouble() - 1) * 4));
        }

        values.AddRange(Enumerable.Repeat(100f, 3));
        var s = new TensorStatistics();
        s.Add(values.ToArray());

        var (lo, hi) = s.Range(CalibrationMethod.Entropy, 0);

        Assert.InRange(hi, 2.0, 20.0);
        Assert.InRange(lo, -4.0, -2.0); // -threshold, clamped to the observed minimum
    }
}
