namespace RfcnPerf.Coco.Masks;

/// <summary>
/// Sorts the boundary positions of <see cref="MaskApi.FrPoly"/> (maskApi.c's qsort of uints): the sorted values are
/// the same whatever the algorithm. Span.Sort of uint goes through Comparer&lt;uint&gt;.Default when compiled ahead of
/// time, a third of the time of rasterising a polygon; this is an insertion sort for short lists and an LSD radix
/// sort (bytes that every value shares are skipped) for the rest.
/// </summary>
internal static class UintSort
{
    private const int InsertionLimit = 32;

    /// <param name="values">Sorted in place, ascending.</param>
    /// <param name="scratch">At least as long as <paramref name="values"/>.</param>
    public static void Sort(Span<uint> values, Span<uint> scratch)
    {
        if (values.Length <= InsertionLimit)
        {
            InsertionSort(values);
            return;
        }

        Span<int> counts = stackalloc int[256];
        Span<uint> from = values, to = scratch[..values.Length];
        uint or = 0, and = uint.MaxValue;
        foreach (uint v in values)
        {
            or |= v;
            and &= v;
        }

        uint varying = or ^ and;
        for (int shift = 0; shift < 32; shift += 8)
        {
            // A byte that is the same in every value would leave the order as it is.
            if (((varying >> shift) & 0xFF) == 0)
            {
                continue;
            }

            counts.Clear();
            foreach (uint v in from)
            {
                counts[(int)((v >> shift) & 0xFF)]++;
            }

            int sum = 0;
            for (int b = 0; b < 256; b++)
            {
                (counts[b], sum) = (sum, sum + counts[b]);
            }

            foreach (uint v in from)
            {
                to[counts[(int)((v >> shift) & 0xFF)]++] = v;
            }

            var swap = from;
            from = to;
            to = swap;
        }

        if (from != values)
        {
            from.CopyTo(values);
        }
    }

    private static void InsertionSort(Span<uint> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            uint x = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > x)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = x;
        }
    }
}
