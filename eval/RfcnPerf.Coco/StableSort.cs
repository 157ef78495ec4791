using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// <c>np.argsort(-score, kind='mergesort')</c>: indices ordered by descending key, ties in input order. Array.Sort
/// is not stable, and pycocotools' results depend on tie order (equal scores within and across images).
/// </summary>
internal static class StableSort
{
    private const int InsertionSortLimit = 16;

    /// <param name="items">Indices into <paramref name="key"/>, sorted in place.</param>
    /// <param name="key">The sort key of each index (scores; never NaN, the loaders reject it).</param>
    /// <param name="scratch">At least half as long as <paramref name="items"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ByDescendingKey(Span<int> items, ReadOnlySpan<double> key, Span<int> scratch)
    {
        if (items.Length <= InsertionSortLimit)
        {
            InsertionSort(items, key);
            return;
        }

        int mid = items.Length / 2;
        ByDescendingKey(items[..mid], key, scratch);
        ByDescendingKey(items[mid..], key, scratch);
        if (key[items[mid - 1]] >= key[items[mid]])
        {
            return;
        }

        Span<int> left = scratch[..mid];
        items[..mid].CopyTo(left);
        int i = 0, j = mid, k = 0;
        while (i < left.Length && j < items.Length)
        {
            // Left wins ties: that is what makes the sort stable.
            items[k++] = key[left[i]] >= key[items[j]] ? left[i++] : items[j++];
        }

        while (i < left.Length)
        {
            items[k++] = left[i++];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InsertionSort(Span<int> items, ReadOnlySpan<double> key)
    {
        for (int i = 1; i < items.Length; i++)
        {
            int x = items[i];
            double kx = key[x];
            int j = i - 1;
            while (j >= 0 && key[items[j]] < kx)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = x;
        }
    }
}
