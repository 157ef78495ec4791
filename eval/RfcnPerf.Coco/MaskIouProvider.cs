using System.Runtime.CompilerServices;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>
/// computeIoU for iouType 'segm': annToRLE on both sides (polygons rasterised and merged here, on the evaluating
/// thread), then maskApi.c rleIou: the masks' boxes first (bbIou, crowd-aware), and the run walk only where that is
/// &gt; 0. Every mask was checked to have its image's size when read, so pycocotools' -1 for a size mismatch never arises.
/// </summary>
internal sealed class MaskIouProvider : IouProvider
{
    private readonly AnnotationArrays gt;
    private readonly CocoResults dt;
    private readonly Segmentations gtMasks;
    private readonly Segmentations dtMasks;
    private readonly MaskScratch scratch = new();
    private uint[] arena = new uint[4096];
    private int arenaUsed;
    private uint[] fold = new uint[1024];
    private uint[] foldNext = new uint[1024];
    private Slice[] gtSlices = new Slice[64];
    private Slice[] dtSlices = new Slice[64];
    private double[] gtBoxes = new double[256];
    private double[] dtBoxes = new double[256];
    private uint[] gtAreas = new uint[64];
    private uint[] dtAreas = new uint[64];
    private bool[] gtRuns = new bool[64];
    private bool[] dtRuns = new bool[64];

    public MaskIouProvider(AnnotationArrays gt, CocoResults dt)
    {
        this.gt = gt;
        this.dt = dt;
        gtMasks = gt.Segmentations ?? throw new InvalidOperationException("segm needs the ground truth's masks");
        dtMasks = dt.Segmentations ?? throw new InvalidOperationException("segm needs the results' masks");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Compute(ReadOnlySpan<int> gtItems, ReadOnlySpan<int> dets, Span<double> iou)
    {
        // COCOeval.computeIoU: ious = maskUtils.iou(d, g, iscrowd) on the annToRLE masks.
        int g = gtItems.Length, d = dets.Length;
        arenaUsed = 0;
        Ensure(ref gtSlices, g);
        Ensure(ref dtSlices, d);
        Ensure(ref gtBoxes, 4 * g);
        Ensure(ref dtBoxes, 4 * d);
        Ensure(ref gtAreas, g);
        Ensure(ref dtAreas, d);
        Ensure(ref gtRuns, g);
        Ensure(ref dtRuns, d);
        for (int gi = 0; gi < g; gi++)
        {
            gtSlices[gi] = ToRle(gtMasks, gtItems[gi]);
            var counts = Counts(gtSlices[gi]);
            Box(gtMasks, gtItems[gi], counts, gtBoxes.AsSpan(4 * gi, 4));
            gtAreas[gi] = MaskApi.Area(counts, out gtRuns[gi]);
        }

        for (int di = 0; di < d; di++)
        {
            dtSlices[di] = ToRle(dtMasks, dets[di]);
            var counts = Counts(dtSlices[di]);
            Box(dtMasks, dets[di], counts, dtBoxes.AsSpan(4 * di, 4));
            dtAreas[di] = MaskApi.Area(counts, out dtRuns[di]);
        }

        for (int gi = 0; gi < g; gi++)
        {
            bool crowd = (gt.Flags[gtItems[gi]] & GroundTruthFlags.CrowdIou) != 0;
            var gBox = gtBoxes.AsSpan(4 * gi, 4);
            for (int di = 0; di < d; di++)
            {
                // rleIou: bbIou of the masks' boxes, then the run walk where it is > 0.
                double o = BoxIou.Compute(dtBoxes.AsSpan(4 * di, 4), gBox, crowd);
                if (o > 0)
                {
                    o = dtRuns[di] && gtRuns[gi]
                        ? MaskApi.IouOfRuns(Counts(dtSlices[di]), dtAreas[di], Counts(gtSlices[gi]), gtAreas[gi], crowd)
                        : MaskApi.Iou(Counts(dtSlices[di]), Counts(gtSlices[gi]), crowd);
                }

                iou[(di * g) + gi] = o;
            }
        }

        return true;
    }

    /// <summary>annToRLE: a mask as read, or polygons rasterised (frPyObjects) and merged (maskUtils.merge) into the arena.</summary>
    private Slice ToRle(Segmentations masks, int item)
    {
        if (masks.Kind[item] == SegmentationKind.Rle)
        {
            return new Slice(masks.CountsArrayOf(item), masks.Start[item], masks.Length[item]);
        }

        uint h = masks.Height[item], w = masks.Width[item];
        int polygons = masks.Length[item];
        var counts = MaskApi.FrPoly(masks.Polygon(item, 0), h, w, scratch);
        if (polygons > 1)
        {
            // FrPoly's counts live in its scratch until the next polygon: fold the union in two buffers of our own.
            Ensure(ref fold, counts.Length);
            counts.CopyTo(fold);
            int m = counts.Length;
            for (int j = 1; j < polygons; j++)
            {
                var next = MaskApi.FrPoly(masks.Polygon(item, j), h, w, scratch);
                Ensure(ref foldNext, m + next.Length);
                m = MaskApi.Union(fold.AsSpan(0, m), next, foldNext);
                (fold, foldNext) = (foldNext, fold);
            }

            counts = fold.AsSpan(0, m);
        }

        if (arena.Length < arenaUsed + counts.Length)
        {
            Array.Resize(ref arena, Math.Max(arenaUsed + counts.Length, arena.Length * 2));
        }

        counts.CopyTo(arena.AsSpan(arenaUsed));
        var slice = new Slice(null, arenaUsed, counts.Length);
        arenaUsed += counts.Length;
        return slice;
    }

    /// <summary>rleToBbox of a mask: found when it was read, or now for polygons rasterised here.</summary>
    private static void Box(Segmentations masks, int item, ReadOnlySpan<uint> counts, Span<double> box)
    {
        if (masks.Kind[item] == SegmentationKind.Rle)
        {
            masks.BoxOf(item, box);
        }
        else
        {
            MaskApi.ToBbox(counts, masks.Height[item], masks.Width[item], box);
        }
    }

    private ReadOnlySpan<uint> Counts(Slice s) => (s.Store ?? arena).AsSpan(s.Start, s.Length);

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }

    /// <summary>Where a mask's counts are: an array of the segmentation store, or (null) this thread's arena.</summary>
    private readonly record struct Slice(uint[]? Store, int Start, int Length);
}
