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
    private readonly double[]? precision;
    private readonly double[]? recall;
    private readonly double[]? scores;

    private int[] positions = new int[256];
    private double[] keys = new double[256];
    private readonly int[] npigOfK;
    private int[] perm = new int[256];
    private int[] sortScratch = new int[256];
    private int[] selected = new int[256];
    private int[] rankInOrder = new int[256];
    private double[] scoreInOrder = new double[256];
    private byte[] flagsInOrder = new byte[256];
    private readonly int[] tpScratch;
    private readonly int[] fpScratch;
    private int[] matchFp = new int[256];
    private int[] matchAt = new int[256];
    private readonly int[] needOrder;
    private readonly int[] needKey;
    private readonly int[] minTp;
    private readonly double[] precisionOfK;
    private readonly double[] scoresOfK;
    private readonly double[] recallOfK;

    /// <param name="evaluated">evaluate()'s records.</param>
    /// <param name="precision">Where precision goes, or null when not wanted.</param>
    /// <param name="recall">Where recall goes, or null.</param>
    /// <param name="scores">Where the scores go, or null (they are then not written).</param>
    public CategoryAccumulator(EvaluatedImages evaluated, double[]? precision, double[]? recall, double[]? scores)
    {
        e = evaluated;
        setup = evaluated.Setup;
        this.precision = precision;
        this.recall = recall;
        this.scores = scores;
        tpScratch = new int[setup.T];
        fpScratch = new int[setup.T];
        needOrder = new int[setup.R];
        needKey = new int[setup.R];
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
        Ensure(ref rankInOrder, n);
        Ensure(ref scoreInOrder, n);
        Ensure(ref flagsInOrder, n * areas * thresholds);
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

        // What the passes below read of each detection, copied once into score order: they make one pass per area
        // range and maxDets, and reading the records where evaluate() left them (spread over the whole flags array)
        // costs a cache miss per detection and pass.
        int row = areas * thresholds;
        for (int j = 0; j < n; j++)
        {
            int p = pos[order[j]];
            rankInOrder[j] = e.DetRank[p];
            scoreInOrder[j] = keys[order[j]];
            e.Flags.AsSpan((int)((long)p * row), row).CopyTo(flagsInOrder.AsSpan(j * row, row));
        }

        // This category's values are built in small [T, R, A, M] / [T, A, M] buffers (cache-resident) and copied
        // into the big arrays block by block at the end: in [T, R, K, A, M] one category's (a, m) values for a
        // given (t, r) are contiguous, while writing them one by one would touch a new cache line each time.
        Array.Fill(precisionOfK, -1.0);
        if (scores is not null)
        {
            Array.Fill(scoresOfK, -1.0);
        }

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
                    if (rankInOrder[j] < maxDet)
                    {
                        selected[nd++] = j;
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

                Precision(a, m, nd, npig);
            }
        }

        int block = areas * maxDetCount;
        CopyOut(precisionOfK, precision, thresholds * recalls, block, cats, k);
        CopyOut(scoresOfK, scores, thresholds * recalls, block, cats, k);
        CopyOut(recallOfK, recall, thresholds, block, cats, k);
    }

    /// <summary>
    /// Copies one category's [rows, block] values into [rows, K, block] at category <paramref name="k"/>, if wanted.
    /// </summary>
    private static void CopyOut(double[] ofK, double[]? into, int rows, int block, int cats, int k)
    {
        if (into is null)
        {
            return;
        }

        for (int row = 0; row < rows; row++)
        {
            ofK.AsSpan(row * block, block).CopyTo(into.AsSpan(((row * cats) + k) * block, block));
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

    /// <summary>
    /// The body of accumulate()'s threshold loop for one area range and maxDets index over the selected detections
    /// (<see cref="selected"/>[0..nd), in score order): recall, and precision and scores at each recall threshold.
    /// pycocotools builds tp/fp cumsums, pr = tp / (tp + fp + spacing(1)) at every position, the envelope (pr made
    /// non-increasing from the right) and reads it at searchsorted(rc, recThrs). The position searchsorted finds for
    /// threshold r is the matched detection where tp first reaches minTp[r] (see MinTpForRecall), and the envelope
    /// there is the largest pr at or after it. Between two matches tp is fixed while fp grows, so pr only falls
    /// (an ignored detection repeats the previous pr): the largest pr of a suffix that starts at a match is at a
    /// match. So the same numbers come from the pr of the matched positions alone, the same division of the same
    /// integers, walked from the last match back: one division per true positive instead of one per detection,
    /// and no pr array.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Precision(int a, int m, int nd, int npig)
    {
        int areas = setup.A, thresholds = setup.T, recalls = setup.R, maxDetCount = setup.M;
        Span<int> tp = tpScratch.AsSpan(0, thresholds);
        Span<int> fp = fpScratch.AsSpan(0, thresholds);
        tp.Clear();
        fp.Clear();
        int stride = nd + 1;
        Ensure(ref matchFp, thresholds * stride);
        Ensure(ref matchAt, thresholds * stride);

        // tps/fps cumsum for all thresholds in one pass, reading each detection's T flags together; ignored detections
        // take a position but count in neither. The counts are exact integers, as numpy's float64 cumsum is. For the
        // c-th match: its position and the fp count there.
        for (int j = 0; j < nd; j++)
        {
            ReadOnlySpan<byte> f = flagsInOrder.AsSpan(((selected[j] * setup.A) + a) * thresholds, thresholds);
            for (int t = 0; t < thresholds; t++)
            {
                if ((f[t] & EvaluatedImages.Ignored) != 0)
                {
                    continue;
                }

                if ((f[t] & EvaluatedImages.Matched) != 0)
                {
                    int c = ++tp[t];
                    matchFp[(t * stride) + c] = fp[t];
                    matchAt[(t * stride) + c] = j;
                }
                else
                {
                    fp[t]++;
                }
            }
        }

        for (int t = 0; t < thresholds; t++)
        {
            recallOfK[(((t * areas) + a) * maxDetCount) + m] = nd > 0 ? Recall(tp[t], npig) : 0;

            // q[ri] = pr[searchsorted(...)[ri]] inside try/except: the first index past the end raises IndexError and
            // that threshold and every later one keep q = 0 (recThrs need not be sorted). Past the end means
            // minTp[r] > tp (never reached), or no detection at all.
            int reach = 0;
            while (nd > 0 && reach < recalls && minTp[reach] <= tp[t])
            {
                reach++;
            }

            // needOrder lists thresholds by minTp, largest first: walking the matches back meets them in that order.
            double envelope = 0;
            int p = 0;
            for (int c = tp[t]; c >= 0; c--)
            {
                double score;
                if (c > 0)
                {
                    // pr = tp / (fp + tp + np.spacing(1)): the spacing is added after the exact sum.
                    double pr = c / ((double)(matchFp[(t * stride) + c] + c) + Spacing1);
                    if (pr > envelope)
                    {
                        envelope = pr;
                    }

                    score = scoreInOrder[selected[matchAt[(t * stride) + c]]];
                }
                else
                {
                    // minTp 0 reads position 0, where the envelope is the largest pr of all.
                    score = nd > 0 ? scoreInOrder[selected[0]] : 0;
                }

                for (; p < recalls; p++)
                {
                    int r = needOrder[p];
                    if (r >= reach)
                    {
                        continue;
                    }

                    if (minTp[r] != c)
                    {
                        break;
                    }

                    int idx = (((((t * recalls) + r) * areas) + a) * maxDetCount) + m;
                    precisionOfK[idx] = envelope;
                    scoresOfK[idx] = score;
                }
            }

            for (int r = reach; r < recalls; r++)
            {
                int idx = (((((t * recalls) + r) * areas) + a) * maxDetCount) + m;
                precisionOfK[idx] = 0;
                scoresOfK[idx] = 0;
            }
        }
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
    /// For each recall threshold, the smallest tp count c with c / npig &gt;= threshold (npig + 1 when none), and
    /// <see cref="needOrder"/>.
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

        // The recall thresholds by minTp, largest first: the order in which Precision meets them.
        for (int r = 0; r < setup.R; r++)
        {
            needOrder[r] = r;
            needKey[r] = -minTp[r];
        }

        Array.Sort(needKey, needOrder);
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
