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

    private int[] perm = new int[256];
    private int[] sortScratch = new int[256];
    private int[] selected = new int[256];
    private double[] rc = new double[256];
    private double[] pr = new double[256];
    private readonly double[] tpScratch;
    private readonly double[] fpScratch;
    private readonly bool recThrsAscending;

    public CategoryAccumulator(EvaluatedImages evaluated, double[] precision, double[] recall, double[] scores)
    {
        e = evaluated;
        setup = evaluated.Setup;
        this.precision = precision;
        this.recall = recall;
        this.scores = scores;
        tpScratch = new double[setup.T];
        fpScratch = new double[setup.T];
        recThrsAscending = true;
        for (int r = 1; r < setup.R; r++)
        {
            recThrsAscending &= setup.RecThrs[r - 1] <= setup.RecThrs[r];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(int k)
    {
        int start = e.DetStart[k];
        int n = e.DetStart[k + 1] - start;
        int areas = setup.A, thresholds = setup.T, recalls = setup.R, cats = setup.K, maxDetCount = setup.M;
        Ensure(ref perm, n);
        Ensure(ref sortScratch, n);
        Ensure(ref selected, n);
        Ensure(ref rc, n * thresholds);
        Ensure(ref pr, n * thresholds);

        // inds = np.argsort(-dtScores, kind='mergesort') over the images' concatenated lists. Cutting each image
        // to a smaller maxDet only removes elements, and a stable sort of a subsequence is the subsequence of the
        // stable sort, so one sort serves every maxDet.
        Span<int> order = perm.AsSpan(0, n);
        for (int j = 0; j < n; j++)
        {
            order[j] = j;
        }

        StableSort.ByDescendingKey(order, e.DetScore.AsSpan(start, n), sortScratch);

        for (int a = 0; a < areas; a++)
        {
            int npig = e.Npig[(k * areas) + a];
            if (npig == 0)
            {
                // No non-ignored ground truth (or no evaluated image at all): precision and recall stay -1.
                continue;
            }

            for (int m = 0; m < maxDetCount; m++)
            {
                int maxDet = setup.MaxDets[m];
                int nd = 0;
                for (int j = 0; j < n; j++)
                {
                    if (e.DetRank[start + order[j]] < maxDet)
                    {
                        selected[nd++] = order[j];
                    }
                }

                // tps/fps cumsum (cast to float64) for all thresholds in one pass over the detections, reading
                // each detection's T flags together; ignored detections still take a position.
                Span<double> tp = tpScratch.AsSpan(0, thresholds);
                Span<double> fp = fpScratch.AsSpan(0, thresholds);
                tp.Clear();
                fp.Clear();
                for (int j = 0; j < nd; j++)
                {
                    ReadOnlySpan<byte> f = e.Flags.AsSpan((int)((((((long)start + selected[j]) * areas) + a) * thresholds)), thresholds);
                    for (int t = 0; t < thresholds; t++)
                    {
                        if ((f[t] & EvaluatedImages.Ignored) == 0)
                        {
                            if ((f[t] & EvaluatedImages.Matched) != 0)
                            {
                                tp[t] += 1;
                            }
                            else
                            {
                                fp[t] += 1;
                            }
                        }

                        rc[(t * nd) + j] = tp[t] / npig;
                        pr[(t * nd) + j] = tp[t] / (fp[t] + tp[t] + Spacing1);
                    }
                }

                for (int t = 0; t < thresholds; t++)
                {
                    Span<double> prT = pr.AsSpan(t * nd, nd);
                    ReadOnlySpan<double> rcT = rc.AsSpan(t * nd, nd);
                    recall[(((((t * cats) + k) * areas) + a) * maxDetCount) + m] = nd > 0 ? rcT[nd - 1] : 0;

                    // Precision envelope: make it non-increasing from the right.
                    for (int i = nd - 1; i > 0; i--)
                    {
                        if (prT[i] > prT[i - 1])
                        {
                            prT[i - 1] = prT[i];
                        }
                    }

                    // q[ri] = pr[searchsorted(rc, recThrs, 'left')[ri]] inside try/except: the first index past
                    // the end raises IndexError and every later threshold keeps q = 0. With ascending recThrs each
                    // search can start where the previous one ended (rc is non-decreasing).
                    bool inRange = true;
                    int from = 0;
                    for (int r = 0; r < recalls; r++)
                    {
                        long idx = (((((((long)t * recalls) + r) * cats) + k) * areas) + a) * maxDetCount + m;
                        if (inRange)
                        {
                            int pi = from + Numpy.SearchSortedLeft(rcT[from..], setup.RecThrs[r]);
                            if (pi < nd)
                            {
                                precision[idx] = prT[pi];
                                scores[idx] = e.DetScore[start + selected[pi]];
                                from = recThrsAscending ? pi : 0;
                                continue;
                            }

                            inRange = false;
                        }

                        precision[idx] = 0;
                        scores[idx] = 0;
                    }
                }
            }
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
