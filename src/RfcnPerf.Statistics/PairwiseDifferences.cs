namespace RfcnPerf.Statistics;

/// <summary>
/// Order statistics of the n m pairwise differences b_j - a_i without materialising them: a value-space search
/// that counts the differences at or below a candidate in one merge-like pass over the two sorted samples, as
/// Pragmastat's "fast shift" does. Memory O(n + m), time O((n + m) 64): a 1-hour load run's 20,000 latencies a side
/// would otherwise need 3.2 GB of differences. The result is the same double sorting all differences would give.
/// </summary>
internal static class PairwiseDifferences
{
    /// <summary>The <paramref name="k"/>-th smallest (1-based) of b_j - a_i over all pairs; both samples sorted ascending.</summary>
    public static double KthSmallest(double[] sortedA, double[] sortedB, long k)
    {
        var total = (long)sortedA.Length * sortedB.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, total);

        // Search the doubles in their order as sortable 64-bit keys: at most 64 halvings, whatever the scale (a
        // bisection on values would creep through the denormals near zero). The answer is the smallest key whose
        // count reaches k; it is a difference, since the count only steps at differences.
        long lo = SortableKey(sortedB[0] - sortedA[^1]), hi = SortableKey(sortedB[^1] - sortedA[0]);
        while (lo < hi)
        {
            var mid = (lo & hi) + ((lo ^ hi) >> 1); // the floor of the mean; hi - lo may pass long.MaxValue
            if (CountAtMost(sortedA, sortedB, FromSortableKey(mid)) >= k)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var value = FromSortableKey(lo);
        return value == 0 ? 0.0 : value; // -0.0 and +0.0 count alike; a difference of equal values is +0.0
    }

    /// <summary>The median of b_j - a_i over all pairs (the mean of the two middle ones for an even count, as numpy.median).</summary>
    public static double Median(double[] sortedA, double[] sortedB)
    {
        var total = (long)sortedA.Length * sortedB.Length;
        return total % 2 == 1
            ? KthSmallest(sortedA, sortedB, (total + 1) / 2)
            : (KthSmallest(sortedA, sortedB, total / 2) + KthSmallest(sortedA, sortedB, (total / 2) + 1)) / 2;
    }

    /// <summary>
    /// How many b_j - a_i are &lt;= <paramref name="t"/>, comparing the computed differences themselves (not
    /// a_i &gt;= b_j - t, which rounds differently). For a fixed j the difference falls as a_i grows (rounding is
    /// monotone), so the pairs that qualify are a suffix of A; the suffix's start only moves right as b_j grows.
    /// </summary>
    internal static long CountAtMost(double[] sortedA, double[] sortedB, double t)
    {
        long count = 0;
        var start = 0;
        foreach (var b in sortedB)
        {
            while (start < sortedA.Length && b - sortedA[start] > t)
            {
                start++;
            }

            count += sortedA.Length - start;
        }

        return count;
    }

    private static long SortableKey(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return bits >= 0 ? bits : bits ^ long.MaxValue;
    }

    private static double FromSortableKey(long key) => BitConverter.Int64BitsToDouble(key >= 0 ? key : key ^ long.MaxValue);
}
