using System.Globalization;

namespace RfcnPerf.Coco.Tests;

/// <summary>Equality of doubles by their bits (the goal is bit identity with pycocotools: no tolerance).</summary>
internal static class BitAssert
{
    public static void Equal(double expected, double actual, string what)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
        {
            Assert.Fail($"{what}: expected {Show(expected)}, got {Show(actual)}");
        }
    }

    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var wrong = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                if (wrong.Count < 10)
                {
                    wrong.Add($"[{i}] expected {Show(expected[i])}, got {Show(actual[i])}");
                }
                else
                {
                    wrong.Add("...");
                    break;
                }
            }
        }

        if (wrong.Count > 0)
        {
            Assert.Fail($"{what}: {wrong.Count} value(s) differ:\n" + string.Join("\n", wrong));
        }
    }

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
