namespace RfcnPerf.Coco.Masks;

/// <summary>
/// Sorts the boundary positions of <see cref="MaskApi.FrPoly"/> (maskApi.c's qsort of uints): the sorted values are
/// the same whatever the algorithm. Span.Sort of uint goes through Comparer&lt;uint&gt;.Default when compiled ahead of
/// time, a third of the time of rasterising a polygon; this is an insertion sort for short lists and an LSD radix
/// sort of value - min (as many byte passes as the range needs) for the rest.
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
        uint min = uint.MaxValue, max = 0;
        foreach (uint v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        // Sorted by v - min, whose bytes above the range's are all zero: a polygon's positions span a few columns
        // of h pixels, so two passes where the values themselves, straddling a byte boundary, would take three.
        uint range = max - min;
        for (int shift = 0; shift < 32 && (range >> shift) != 0; shift += 8)
        {
            counts.Clear();
            foreach (uint v in from)
            {
                counts[(int)(((v - min) >> shift) & 0xFF)]++;
            }

            int sum = 0;
            for (int b = 0; b < 256; b++)
            {
                (counts[b], sum) = (sum, sum + counts[b]);
            }

            foreach (uint v in from)
            {
                to[counts[(int)(((v - min) >> shift) & 0xFF)]++] = v;
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
