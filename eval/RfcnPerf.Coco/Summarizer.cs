using System.Buffers;
using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval.summarize's <c>_summarize</c>: select a slice of the precision or recall array, keep the values
/// &gt; -1 in C order and take numpy's mean of them (-1 when none is left).
/// </summary>
internal sealed class Summarizer
{
    private readonly CocoAccumulation acc;
    private readonly EvalSetup setup;

    public Summarizer(CocoAccumulation acc)
    {
        this.acc = acc;
        setup = acc.Setup;
    }

    // COCOeval.summarize._summarize(ap, iouThr, areaRng, maxDets)
    public double Summarize(bool ap, double? iouThr, string areaLabel, int maxDets)
    {
        int[] t = iouThr is double thr ? Where(setup.IouThrs, v => v == thr) : Range(setup.T);
        int[] aind = Where(setup.AreaRanges, r => r.Label == areaLabel);
        int[] mind = Where(setup.MaxDets, m => m == maxDets);
        var (a, m) = Broadcast(aind, mind);
        return Mean(ap, t, 0, setup.K, a, m);
    }

    /// <summary>The per-category numbers: each reduction of <see cref="Summarize"/> restricted to category k,
    /// at the last maxDets index.</summary>
    public CocoCategoryMetrics ForCategory(int k, long id, string name)
    {
        int[] all = Range(setup.T);
        int[] last = [setup.M - 1];
        double Ap(int[] t, string area) => Mean(true, t, k, k + 1, FirstLabel(area), last);
        return new CocoCategoryMetrics(
            id,
            name,
            Ap(all, "all"),
            Ap(Where(setup.IouThrs, v => v == 0.5), "all"),
            Ap(Where(setup.IouThrs, v => v == 0.75), "all"),
            Ap(all, "small"),
            Ap(all, "medium"),
            Ap(all, "large"),
            Mean(false, all, k, k + 1, FirstLabel("all"), last));
    }

    private int[] FirstLabel(string label)
    {
        int[] found = Where(setup.AreaRanges, r => r.Label == label);
        return found.Length > 0 ? [found[0]] : [];
    }

    /// <summary>np.mean(s[s &gt; -1]) over s[t][:, :, k, a, m] (precision) or s[t][:, k, a, m] (recall), where
    /// (a, m) are the broadcast pairs of numpy's two adjacent index lists, flattened in C order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Mean(bool ap, int[] t, int k0, int k1, int[] a, int[] m)
    {
        int n = 0;
        ReadOnlySpan<double> values = ap ? acc.Precision : acc.Recall;
        int rCount = ap ? setup.R : 1;
        int pairs = Math.Min(a.Length, m.Length);
        int areas = setup.A, maxDets = setup.M, cats = setup.K;

        // Sized for this slice and pooled: a summary takes 12 + 7 x K means, and a bootstrap thousands of summaries.
        // (Not returned if an exception escapes: the pool then simply allocates another.)
        double[] buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, t.Length * rCount * (k1 - k0) * pairs));
        foreach (int ti in t)
        {
            for (int r = 0; r < rCount; r++)
            {
                // Row (t, r) of precision [T, R, K, A, M] or row t of recall [T, K, A, M].
                int row = ((ti * rCount) + r) * cats;
                for (int k = k0; k < k1; k++)
                {
                    int cell = (row + k) * areas;
                    for (int p = 0; p < pairs; p++)
                    {
                        double v = values[((cell + a[p]) * maxDets) + m[p]];
                        if (v > -1)
                        {
                            buffer[n++] = v;
                        }
                    }
                }
            }
        }

        double mean = n == 0 ? -1 : Numpy.Mean(buffer.AsSpan(0, n));
        ArrayPool<double>.Shared.Return(buffer);
        return mean;
    }

    /// <summary>numpy broadcasting of the two index lists <c>[..., aind, mind]</c>.</summary>
    private static (int[] A, int[] M) Broadcast(int[] a, int[] m)
    {
        if (a.Length == m.Length)
        {
            return (a, m);
        }

        if (a.Length == 1)
        {
            return (Enumerable.Repeat(a[0], m.Length).ToArray(), m);
        }

        if (m.Length == 1)
        {
            return (a, Enumerable.Repeat(m[0], a.Length).ToArray());
        }

        throw new CocoException($"area labels and maxDets select {a.Length} and {m.Length} entries, which numpy cannot broadcast together (pycocotools fails here too): make the labels or the maxDets unique");
    }

    private static int[] Where<T>(IReadOnlyList<T> values, Func<T, bool> predicate)
    {
        var found = new List<int>();
        for (int i = 0; i < values.Count; i++)
        {
            if (predicate(values[i]))
            {
                found.Add(i);
            }
        }

        return [.. found];
    }

    private static int[] Range(int n) => Enumerable.Range(0, n).ToArray();
}
