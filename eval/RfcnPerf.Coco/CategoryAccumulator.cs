using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval.accumulate for one category at a time (all area ranges, maxDets and IoU thresholds), writing its
/// slices of the precision / recall / scores arrays. One instance per worker thread (owns the scratch).
/// </summary>
internal sealed class CategoryAccumulator
{
    /// <summary><c>np.spacing(1)</c> = 2^-52, added to tp + fp in the precision denominator.</summary>
    private static readonly double Spacing1 = Math.BitIncrement(1.0) - 1.0;

    private readonly EvaluatedImages e;
    private readonly EvalSetup setup;
    private readonly double[] precision;
    private readonly double[] recall;
    private readonly double[] scores;

    private int[] positions = new int[256];
    private double[] keys = new double[256];
    private readonly int[] npigOfK;
    private int[] perm = new int[256];
    private int[] sortScratch = new int[256];
    private int[] selected = new int[256];
    private int[] firstAt = new int[256];
    private double[] pr = new double[256];
    private readonly int[] tpScratch;
    private readonly int[] fpScratch;
    private readonly int[] minTp;
    private readonly double[] precisionOfK;
    private readonly double[] scoresOfK;
    private readonly double[] recallOfK;

    public CategoryAccumulator(EvaluatedImages evaluated, double[] precision, double[] recall, double[] scores)
    {
        e = evaluated;
        setup = evaluated.Setup;
        this.precision = precision;
        this.recall = recall;
        this.scores = scores;
        tpScratch = new int[setup.T];
        fpScratch = new int[setup.T];
        minTp = new int[setup.R];
        precisionOfK = new double[setup.T * setup.R * setup.A * setup.M];
        scoresOfK = new double[precisionOfK.Length];
        recallOfK = new double[setup.T * setup.A * setup.M];
        npigOfK = new int[setup.A];
    }

    /// <param name="k">The category.</param>
    /// <param name="images">Image positions whose lists are concatenated (repeats allowed), or null for every
    /// evaluated image in order.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(int k, int[]? images)
    {
        // COCOeval.accumulate, the body of its k loop for one category.
        int n = Gather(k, images);
        int areas = setup.A, thresholds = setup.T, recalls = setup.R, cats = setup.K, maxDetCount = setup.M;
        Ensure(ref perm, n);
        Ensure(ref sortScratch, n);
        Ensure(ref selected, n);
        Ensure(ref pr, n * thresholds);
        int[] pos = positions;

        // inds = np.argsort(-dtScores, kind='mergesort') over the images' concatenated lists. Cutting each image
        // to a smaller maxDet only removes elements, and a stable sort of a subsequence is the subsequence of the
        // stable sort, so one sort serves every maxDet.
        Span<int> order = perm.AsSpan(0, n);
        for (int j = 0; j < n; j++)
        {
            order[j] = j;
        }

        StableSort.ByDescendingKey(order, keys.AsSpan(0, n), sortScratch);

        // This category's values are built in small [T, R, A, M] / [T, A, M] buffers (cache-resident) and copied
        // into the big arrays block by block at the end: in [T, R, K, A, M] one category's (a, m) values for a
        // given (t, r) are contiguous, while writing them one by one would touch a new cache line each time.
        Array.Fill(precisionOfK, -1.0);
        Array.Fill(scoresOfK, -1.0);
        Array.Fill(recallOfK, -1.0);

        for (int a = 0; a < areas; a++)
        {
            int npig = npigOfK[a];
            if (npig == 0)
            {
                // No non-ignored ground truth (or no evaluated image at all): precision and recall stay -1.
                continue;
            }

            MinTpForRecall(npig);

            int previousNd = -1;
            for (int m = 0; m < maxDetCount; m++)
            {
                int maxDet = setup.MaxDets[m];
                int nd = 0;
                for (int j = 0; j < n; j++)
                {
                    if (e.DetRank[pos[order[j]]] < maxDet)
                    {
                        selected[nd++] = order[j];
                    }
                }

                if (nd == previousNd)
                {
                    // A larger maxDet kept no more detections (no image has more than the previous maxDet of this
                    // category), so the selection is the same and so is every number: copy them.
                    CopyMaxDetSlice(a, m - 1, m);
                    continue;
                }

                previousNd = nd;

                // tps/fps cumsum for all thresholds in one pass over the detections, reading each detection's
                // T flags together; ignored detections still take a position. The counts are exact integers, as
                // numpy's float64 cumsum is. firstAt[t][c] = first position where tp reaches c.
                Span<int> tp = tpScratch.AsSpan(0, thresholds);
                Span<int> fp = fpScratch.AsSpan(0, thresholds);
                tp.Clear();
                fp.Clear();
                Ensure(ref firstAt, thresholds * (nd + 1));
                for (int j = 0; j < nd; j++)
                {
                    ReadOnlySpan<byte> f = e.Flags.AsSpan((int)(((((long)pos[selected[j]] * areas) + a) * thresholds)), thresholds);
                    for (int t = 0; t < thresholds; t++)
                    {
                        int at = (t * nd) + j;
                        if ((f[t] & EvaluatedImages.Ignored) != 0)
                        {
                            // tp and fp unchanged: the same quotient as the previous position (0 / eps at the start).
                            pr[at] = j > 0 ? pr[at - 1] : 0.0;
                            continue;
                        }

                        if ((f[t] & EvaluatedImages.Matched) != 0)
                        {
                            firstAt[(t * (nd + 1)) + ++tp[t]] = j;
                        }
                        else
                        {
                            fp[t]++;
                        }

                        // pr = tp / (fp + tp + np.spacing(1)): the spacing is added after the exact sum.
                        pr[at] = tp[t] / ((double)(fp[t] + tp[t]) + Spacing1);
                    }
                }

                for (int t = 0; t < thresholds; t++)
                {
                    Span<double> prT = pr.AsSpan(t * nd, nd);
                    recallOfK[(((t * areas) + a) * maxDetCount) + m] = nd > 0 ? Recall(tp[t], npig) : 0;

                    // Precision envelope: make it non-increasing from the right.
                    for (int i = nd - 1; i > 0; i--)
                    {
                        if (prT[i] > prT[i - 1])
                        {
                            prT[i - 1] = prT[i];
                        }
                    }

                    // q[ri] = pr[searchsorted(rc, recThrs, 'left')[ri]] inside try/except: the first index past
                    // the end raises IndexError and every later threshold keeps q = 0. The search lands on the
                    // first position where tp reaches minTp[ri] (see MinTpForRecall).
                    bool inRange = true;
                    for (int r = 0; r < recalls; r++)
                    {
                        int idx = (((((t * recalls) + r) * areas) + a) * maxDetCount) + m;
                        if (inRange)
                        {
                            int need = minTp[r];
                            int pi = need == 0 ? 0 : need <= tp[t] ? firstAt[(t * (nd + 1)) + need] : nd;
                            if (pi < nd)
                            {
                                precisionOfK[idx] = prT[pi];
                                scoresOfK[idx] = e.DetScore[pos[selected[pi]]];
                                continue;
                            }

                            inRange = false;
                        }

                        precisionOfK[idx] = 0;
                        scoresOfK[idx] = 0;
                    }
                }
            }
        }

        int block = areas * maxDetCount;
        for (int tr = 0; tr < thresholds * recalls; tr++)
        {
            precisionOfK.AsSpan(tr * block, block).CopyTo(precision.AsSpan(((tr * cats) + k) * block, block));
            scoresOfK.AsSpan(tr * block, block).CopyTo(scores.AsSpan(((tr * cats) + k) * block, block));
        }

        for (int t = 0; t < thresholds; t++)
        {
            recallOfK.AsSpan(t * block, block).CopyTo(recall.AsSpan(((t * cats) + k) * block, block));
        }
    }

    /// <summary>
    /// Fills <see cref="positions"/> (kept detections, image after image), <see cref="keys"/> (their scores) and
    /// <see cref="npigOfK"/> (non-ignored ground truths per area range) for category k; returns the count.
    /// </summary>
    private int Gather(int k, int[]? images)
    {
        int areas = setup.A;
        if (images is null)
        {
            int start = e.DetStart[k];
            int count = e.DetStart[k + 1] - start;
            Ensure(ref positions, count);
            Ensure(ref keys, count);
            for (int j = 0; j < count; j++)
            {
                positions[j] = start + j;
            }

            e.DetScore.AsSpan(start, count).CopyTo(keys);
            e.Npig.AsSpan(k * areas, areas).CopyTo(npigOfK);
            return count;
        }

        Array.Clear(npigOfK);
        int total = 0;
        foreach (int i in images)
        {
            int cell = (k * setup.I) + i;
            total = checked(total + e.CellDetStart[cell + 1] - e.CellDetStart[cell]);
        }

        Ensure(ref positions, total);
        Ensure(ref keys, total);
        int n = 0;
        foreach (int i in images)
        {
            int cell = (k * setup.I) + i;
            int from = e.CellDetStart[cell], to = e.CellDetStart[cell + 1];
            for (int p = from; p < to; p++)
            {
                positions[n] = p;
                keys[n++] = e.DetScore[p];
            }

            for (int a = 0; a < areas; a++)
            {
                npigOfK[a] += e.NpigCell[((long)cell * areas) + a];
            }
        }

        return n;
    }

    /// <summary>Copies this category's precision, scores and recall for area a from maxDets index <paramref name="from"/> to <paramref name="to"/>.</summary>
    private void CopyMaxDetSlice(int a, int from, int to)
    {
        int areas = setup.A, maxDetCount = setup.M;
        for (int tr = 0; tr < setup.T * setup.R; tr++)
        {
            int row = ((tr * areas) + a) * maxDetCount;
            precisionOfK[row + to] = precisionOfK[row + from];
            scoresOfK[row + to] = scoresOfK[row + from];
        }

        for (int t = 0; t < setup.T; t++)
        {
            int row = ((t * areas) + a) * maxDetCount;
            recallOfK[row + to] = recallOfK[row + from];
        }
    }

    /// <summary>rc = tp / npig, the float64 division numpy does.</summary>
    private static double Recall(int tp, int npig) => tp / (double)npig;

    /// <summary>
    /// For each recall threshold, the smallest tp count c with c / npig &gt;= threshold (npig + 1 when none).
    /// rc = tp / npig is a strictly increasing function of the integer tp (distinct c give distinct quotients
    /// for npig &lt; 2^53), so searchsorted(rc, thr, 'left') is exactly the first position where tp reaches c.
    /// </summary>
    private void MinTpForRecall(int npig)
    {
        for (int r = 0; r < setup.R; r++)
        {
            double threshold = setup.RecThrs[r];
            int lo = 0, hi = npig + 1;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                if (Recall(mid, npig) < threshold)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            minTp[r] = lo;
        }
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
