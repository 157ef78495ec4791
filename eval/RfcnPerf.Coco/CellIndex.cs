using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// pycocotools' <c>_gts</c> / <c>_dts</c> dicts keyed by (imgId, catId), flattened: cell <c>k * I + i</c> lists
/// annotation (or detection) indices in the order pycocotools' lists have them, as compressed rows
/// (<see cref="Start"/>[cell] .. <see cref="Start"/>[cell + 1] in <see cref="Items"/>). Without useCats there
/// is one cell per image: the concatenation over params.catIds of that image's per-category lists.
/// </summary>
internal sealed class CellIndex
{
    private CellIndex(int[] start, int[] items)
    {
        Start = start;
        Items = items;
    }

    public int[] Start { get; }

    public int[] Items { get; }

    public int Count(int cell) => Start[cell + 1] - Start[cell];

    public ReadOnlySpan<int> Cell(int cell) => Items.AsSpan(Start[cell], Start[cell + 1] - Start[cell]);

    // COCOeval._prepare for the ground truth: getAnnIds(imgIds, catIds) walks imgToAnns image by image (imgIds
    // sorted) in file order, filtering on the annotation's category; loadAnns then looks each id up in the anns
    // dict, where a repeated id resolves to its last annotation, and the result is grouped by ITS (image, cat).
    public static CellIndex ForGroundTruth(AnnotationArrays gt, EvalSetup setup, Dictionary<long, int> imgSlot, Dictionary<long, int> catSlot)
    {
        return Build(gt.ImageId, gt.CategoryId, gt.ResolvedIndex, setup, imgSlot, catSlot);
    }

    // COCOeval._prepare for the results: ids are unique (loadRes numbers them), so no resolution.
    public static CellIndex ForResults(CocoResults dt, EvalSetup setup, Dictionary<long, int> imgSlot, Dictionary<long, int> catSlot)
    {
        return Build(dt.ImageId, dt.CategoryId, null, setup, imgSlot, catSlot);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CellIndex Build(long[] imageId, long[] categoryId, int[]? resolved, EvalSetup setup, Dictionary<long, int> imgSlot, Dictionary<long, int> catSlot)
    {
        int n = imageId.Length;
        int images = setup.I;

        // imgToAnns restricted to the evaluated images: item indices by image slot, file order kept.
        var imageOf = LargeArray.Uninitialized<int>(n);
        var byImageStart = LargeArray.Zeroed<int>(images + 1);
        for (int j = 0; j < n; j++)
        {
            imageOf[j] = imgSlot.TryGetValue(imageId[j], out int s) ? s : -1;
            if (imageOf[j] >= 0)
            {
                byImageStart[imageOf[j] + 1]++;
            }
        }

        PrefixSum(byImageStart);
        var byImage = LargeArray.Uninitialized<int>(byImageStart[images]);
        for (int j = n - 1; j >= 0; j--)
        {
            if (imageOf[j] >= 0)
            {
                byImage[--byImageStart[imageOf[j] + 1]] = j;
            }
        }

        ShiftStarts(byImageStart, byImage.Length);

        // Walk images in sorted order, each in file order; emit (group, item) where group = catSlot * I + imgSlot.
        int groups = catSlot.Count * images;
        var emitGroup = LargeArray.Uninitialized<int>(byImage.Length);
        var emitItem = LargeArray.Uninitialized<int>(byImage.Length);
        int emitted = 0;
        for (int i = 0; i < images; i++)
        {
            for (int p = byImageStart[i]; p < byImageStart[i + 1]; p++)
            {
                int j = byImage[p];
                if (setup.UseCats && !catSlot.ContainsKey(categoryId[j]))
                {
                    continue;
                }

                int r = resolved is null ? j : resolved[j];
                int ri = r == j ? i : imageOf[r];
                if (ri < 0 || !catSlot.TryGetValue(categoryId[r], out int rc))
                {
                    continue;
                }

                emitGroup[emitted] = (rc * images) + ri;
                emitItem[emitted] = r;
                emitted++;
            }
        }

        // Stable counting sort by group keeps the emission order inside each group.
        var groupStart = LargeArray.Zeroed<int>(groups + 1);
        for (int e = 0; e < emitted; e++)
        {
            groupStart[emitGroup[e] + 1]++;
        }

        PrefixSum(groupStart);
        var groupItems = LargeArray.Uninitialized<int>(emitted);
        for (int e = emitted - 1; e >= 0; e--)
        {
            groupItems[--groupStart[emitGroup[e] + 1]] = emitItem[e];
        }

        ShiftStarts(groupStart, emitted);

        if (setup.UseCats)
        {
            // Category slots are the sorted unique catIds, so group k * I + i is already cell (k, i).
            return new CellIndex(groupStart, groupItems);
        }

        // computeIoU / evaluateImg without useCats: [_ for cId in p.catIds for _ in self._gts[imgId, cId]].
        var cellStart = new int[images + 1];
        for (int i = 0; i < images; i++)
        {
            int count = 0;
            foreach (long c in setup.PooledCatIds)
            {
                int g = (catSlot[c] * images) + i;
                count += groupStart[g + 1] - groupStart[g];
            }

            cellStart[i + 1] = count;
        }

        PrefixSum(cellStart);
        var cellItems = new int[cellStart[images]];
        int w = 0;
        for (int i = 0; i < images; i++)
        {
            foreach (long c in setup.PooledCatIds)
            {
                int g = (catSlot[c] * images) + i;
                for (int p = groupStart[g]; p < groupStart[g + 1]; p++)
                {
                    cellItems[w++] = groupItems[p];
                }
            }
        }

        return new CellIndex(cellStart, cellItems);
    }

    /// <summary>
    /// Ends the counting sort without a second array of cursors: filling from the last item back, each group's end
    /// (<paramref name="start"/>[g + 1] after the prefix sum) counts down to the group's start, so the array then
    /// holds every start one place to the right. Shifting it back and closing it with <paramref name="total"/> gives
    /// the starts; filling backwards keeps each group in input order (a stable sort).
    /// </summary>
    private static void ShiftStarts(int[] start, int total)
    {
        start.AsSpan(1).CopyTo(start);
        start[^1] = total;
    }

    private static void PrefixSum(int[] a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            a[i] += a[i - 1];
        }
    }
}
