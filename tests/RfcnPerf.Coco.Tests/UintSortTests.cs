using CsCheck;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco.Tests;

/// <summary>The polygon rasteriser's sort gives the sorted values, whatever their length and range.</summary>
public sealed class UintSortTests
{
    [Fact]
    public void Sorts_like_array_sort()
    {
        var values = Gen.OneOf(Gen.UInt, Gen.UInt[0, 1000], Gen.UInt[0, 70_000]).Array[0, 3000];
        values.Sample(items =>
        {
            uint[] expected = [.. items];
            Array.Sort(expected);
            uint[] actual = [.. items];
            UintSort.Sort(actual, new uint[actual.Length]);
            Assert.Equal(expected, actual);
        }, iter: 2000);
    }
}
