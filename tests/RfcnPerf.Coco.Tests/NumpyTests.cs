using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>The numpy routines whose rounding decides the last bits, against values numpy 1.24.2 printed.</summary>
public sealed class NumpyTests
{
    // np.mean(np.array([1.0/(i+1) + (i%7)*0.1 for i in range(n)])).hex(), numpy 1.24.2. For n >= 100 a plain
    // left-to-right sum gives a different double, so these pin the pairwise summation and its 8192 blocking.
    [Theory]
    [InlineData(5, "0x1.50369d0369d04p-1")]
    [InlineData(8, "0x1.3457c57c57c58p-1")]
    [InlineData(13, "0x1.0b0870146e7adp-1")]
    [InlineData(100, "0x1.6332e100e405dp-2")]
    [InlineData(128, "0x1.5aaa4905db6c8p-2")]
    [InlineData(129, "0x1.59a081db3f851p-2")]
    [InlineData(1000, "0x1.3a8ed3fc9c154p-2")]
    [InlineData(8192, "0x1.345605a721ad4p-2")]
    [InlineData(8193, "0x1.3452ca772c5a8p-2")]
    [InlineData(20000, "0x1.33b8a40e2603bp-2")]
    [InlineData(80800, "0x1.3358c27ffe6e2p-2")]
    public void Mean_matches_numpy_bit_for_bit(int n, string expectedHex)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (1.0 / (i + 1)) + ((i % 7) * 0.1);
        }

        BitAssert.Equal(GoldenCase.ParseHex(expectedHex), Numpy.Mean(a), $"mean of {n}");
    }

    [Fact]
    public void Default_thresholds_equal_pycocotools_exactly()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.CocoEvalCases, "_default_params.json")));
        double[] iouHex = [.. doc.RootElement.GetProperty("iouThrs_hex").EnumerateArray().Select(e => GoldenCase.ParseHex(e.GetString()!))];
        double[] recHex = [.. doc.RootElement.GetProperty("recThrs_hex").EnumerateArray().Select(e => GoldenCase.ParseHex(e.GetString()!))];
        double[] recRepr = [.. doc.RootElement.GetProperty("recThrs_repr").EnumerateArray().Select(e => double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

        BitAssert.Equal(iouHex, [.. CocoEvalParams.DefaultIouThrs], "iouThrs");
        BitAssert.Equal(recHex, [.. CocoEvalParams.DefaultRecThrs], "recThrs");
        BitAssert.Equal(recRepr, [.. CocoEvalParams.DefaultRecThrs], "recThrs (repr)");
        BitAssert.Equal(0.8999999999999999, CocoEvalParams.DefaultIouThrs[8], "iouThrs[8]");
    }

    // '{:0.3f}'.format(v) / '{:0.2f}'.format(v) as Python 3.11 prints them: ties of the exact binary value go to even.
    [Theory]
    [InlineData(0.0625, 3, "0.062")]
    [InlineData(0.1875, 3, "0.188")]
    [InlineData(0.3125, 3, "0.312")]
    [InlineData(0.9375, 3, "0.938")]
    [InlineData(0.0005, 3, "0.001")]
    [InlineData(0.0015, 3, "0.002")]
    [InlineData(0.6665, 3, "0.666")]
    [InlineData(12.3456, 3, "12.346")]
    [InlineData(1.0, 3, "1.000")]
    [InlineData(-1.0, 3, "-1.000")]
    [InlineData(0.0, 3, "0.000")]
    [InlineData(0.00025, 3, "0.000")]
    [InlineData(0.4034653465346535, 3, "0.403")]
    [InlineData(0.95, 2, "0.95")]
    [InlineData(0.8999999999999999, 2, "0.90")]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    public void Fixed_formats_like_python(double value, int decimals, string expected)
    {
        Assert.Equal(expected, PyFormat.Fixed(value, decimals));
    }

    [Fact]
    public void Stable_sort_keeps_ties_in_input_order()
    {
        // Long enough for the merge path; scores with many ties.
        var rng = new Random(7);
        double[] key = [.. Enumerable.Range(0, 1000).Select(_ => Math.Round(rng.NextDouble(), 1))];
        int[] items = [.. Enumerable.Range(0, key.Length)];
        StableSort.ByDescendingKey(items, key, new int[key.Length]);
        int[] expected = [.. Enumerable.Range(0, key.Length).OrderByDescending(i => key[i])];
        Assert.Equal(expected, items);
    }
}
