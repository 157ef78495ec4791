using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval.computeIoU (through the iouType's <see cref="IouProvider"/>) + COCOeval.evaluateImg for the (category,
/// image) cells of a run of images, writing into <see cref="EvaluatedImages"/>. One instance per worker thread: it
/// owns the scratch buffers, so matching allocates nothing per cell.
/// </summary>
internal sealed class CellEvaluator
{
    private readonly AnnotationArrays gt;
    private readonly CocoResults dt;
    private readonly CellIndex gtCells;
    private readonly CellIndex dtCells;
    private readonly EvaluatedImages output;
    private readonly EvalSetup setup;
    private readonly IouProvider similarity;

    private int[] dets = new int[64];
    private int[] sortScratch = new int[64];
    private double[] iou = new double[256];
    private double[] iouSorted = new double[256];
    private int[] gtOrder = new int[64];
    private byte[] gtIgnored = new byte[64];
    private bool[] gtCrowd = new bool[64];
    private bool[] gtIdNonZero = new bool[64];
    private bool[] gtMatched = new bool[64];
    private bool[] detOutside = new bool[64];
    private double[] maxIou = new double[64];

    public CellEvaluator(AnnotationArrays gt, CocoResults dt, CellIndex gtCells, CellIndex dtCells, EvaluatedImages output)
    {
        this.gt = gt;
        this.dt = dt;
        this.gtCells = gtCells;
        this.dtCells = dtCells;
        this.output = output;
        setup = output.Setup;
        similarity = IouProvider.Create(setup, gt, dt);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(int firstImage, int endImage)
    {
        // COCOeval.evaluate: the evalImgs of images [firstImage, endImage), every category. Image after image, as
        // a detector writes its results file, so one image's detections are read while they are in the cache (a
        // category at a time would visit every image's block for a few detections each, a cache miss per read).
        int images = setup.I;
        for (int i = firstImage; i < endImage; i++)
        {
            for (int k = 0; k < setup.K; k++)
            {
                int cell = (k * images) + i;
                if (gtCells.Count(cell) == 0 && dtCells.Count(cell) == 0)
                {
                    // evaluateImg returns None: accumulate() skips it.
                    continue;
                }

                EvaluateImage(cell, gtCells.Cell(cell), dtCells.Cell(cell), output.CellDetStart[cell]);
            }
        }
    }

    // COCOeval.computeIoU and COCOeval.evaluateImg for one (image, category).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateImage(int cell, ReadOnlySpan<int> gtItems, ReadOnlySpan<int> dtItems, int cursor)
    {
        int g = gtItems.Length;
        int dAll = dtItems.Length;
        Ensure(ref dets, dAll);
        Ensure(ref sortScratch, dAll);
        Span<int> order = dets.AsSpan(0, dAll);
        dtItems.CopyTo(order);
        StableSort.ByDescendingKey(order, dt.Score, sortScratch);
        int d = Math.Min(dAll, setup.MaxDetLast);
        order = order[..d];

        for (int n = 0; n < d; n++)
        {
            output.DetIndex[cursor + n] = order[n];
            output.DetScore[cursor + n] = dt.Score[order[n]];
            output.DetRank[cursor + n] = n;
        }

        // ious[d, g]: detections in score order, ground truths in cell order (computeIoU / computeOks).
        bool match = d > 0 && g > 0;
        if (match)
        {
            Ensure(ref iou, d * g);
            Ensure(ref iouSorted, d * g);
            Ensure(ref maxIou, d);
            match = similarity.Compute(gtItems, order, iou.AsSpan(0, d * g));
            for (int di = 0; match && di < d; di++)
            {
                double best = 0;
                foreach (double v in iou.AsSpan(di * g, g))
                {
                    best = Math.Max(best, v); // NaN propagates, so a NaN IoU is never skipped below
                }

                maxIou[di] = best;
            }
        }

        Ensure(ref gtOrder, g);
        Ensure(ref gtIgnored, g);
        Ensure(ref gtCrowd, g);
        Ensure(ref gtIdNonZero, g);
        Ensure(ref gtMatched, g);
        Ensure(ref detOutside, d);
        int areas = setup.A;
        int thresholds = setup.T;
        byte[] flags = output.Flags;
        int[]? matches = output.Match;
        bool[] gtIgnore = output.GroundTruthIgnore;
        for (int a = 0; a < areas; a++)
        {
            double lo = setup.AreaRanges[a].Min;
            double hi = setup.AreaRanges[a].Max;

            // g['_ignore'] = ignore or area outside [lo, hi] (closed); then gts stably sorted, non-ignored first.
            int npig = 0;
            for (int gi = 0; gi < g; gi++)
            {
                int ann = gtItems[gi];
                double area = gt.Area[ann];
                if (!gtIgnore[ann] && !(area < lo || area > hi))
                {
                    gtOrder[npig++] = gi;
                }
            }

            int w = npig;
            for (int gi = 0; gi < g; gi++)
            {
                int ann = gtItems[gi];
                double area = gt.Area[ann];
                if (!(!gtIgnore[ann] && !(area < lo || area > hi)))
                {
                    gtOrder[w++] = gi;
                }
            }

            output.NpigCell[((long)cell * areas) + a] = npig;
            for (int j = 0; j < g; j++)
            {
                int ann = gtItems[gtOrder[j]];
                gtIgnored[j] = j < npig ? (byte)0 : (byte)1;
                gtCrowd[j] = (gt.Flags[ann] & GroundTruthFlags.CrowdMatch) != 0;
                gtIdNonZero[j] = gt.Id[ann] != 0;
            }

            // Unmatched detections outside the area range are ignored; the area is the one loadRes gave.
            for (int di = 0; di < d; di++)
            {
                double area = dt.Area[order[di]];
                detOutside[di] = area < lo || area > hi;
            }

            if (match)
            {
                for (int di = 0; di < d; di++)
                {
                    int row = di * g;
                    for (int j = 0; j < g; j++)
                    {
                        iouSorted[row + j] = iou[row + gtOrder[j]];
                    }
                }
            }

            for (int t = 0; t < thresholds; t++)
            {
                if (match)
                {
                    Array.Clear(gtMatched, 0, g);
                }

                double threshold = Math.Min(setup.IouThrs[t], 1 - 1e-10);
                for (int di = 0; di < d; di++)
                {
                    byte f = 0;
                    int matched = -1;
                    // A detection whose best IoU is below the threshold cannot match: FindMatch would return -1.
                    if (match && !(maxIou[di] < threshold))
                    {
                        int m = FindMatch(di, g, threshold);
                        if (m >= 0)
                        {
                            gtMatched[m] = true;
                            matched = gtOrder[m];
                            f = (byte)((gtIdNonZero[m] ? EvaluatedImages.Matched : 0) | (gtIgnored[m] != 0 ? EvaluatedImages.Ignored : 0));
                        }
                    }

                    // dtIg |= (dtm == 0) & outside: dtm == 0 also for a match to a ground truth with id 0.
                    if ((f & EvaluatedImages.Matched) == 0 && detOutside[di])
                    {
                        f |= EvaluatedImages.Ignored;
                    }

                    long at = ((((long)cursor + di) * areas) + a) * thresholds + t;
                    flags[at] = f;
                    if (matches is not null)
                    {
                        matches[at] = matched;
                    }
                }
            }
        }
    }

    // The inner loop of evaluateImg's greedy matching, kept statement for statement.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FindMatch(int di, int g, double threshold)
    {
        double best = threshold;
        int m = -1;
        ReadOnlySpan<double> row = iouSorted.AsSpan(di * g, g);
        for (int j = 0; j < g; j++)
        {
            // A matched ground truth is taken, unless it is a crowd (which absorbs any number of detections).
            if (gtMatched[j] && !gtCrowd[j])
            {
                continue;
            }

            // After a match to a regular ground truth, ignored ones (sorted last) are never considered.
            if (m > -1 && gtIgnored[m] == 0 && gtIgnored[j] == 1)
            {
                break;
            }

            // '<' rather than '<=': a later ground truth with an equal IoU replaces the earlier one.
            if (row[j] < best)
            {
                continue;
            }

            best = row[j];
            m = j;
        }

        return m;
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
