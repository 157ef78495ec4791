namespace RfcnPerf.Core.PostProcessing;

/// <summary>
/// Greedy class-wise non-maximum suppression, the semantics of torchvision's <c>batched_nms</c> as used by
/// Ultralytics and mmdet: boxes of different classes never suppress each other; a box is dropped when its
/// IoU with an already kept box of its class is strictly greater than the threshold. Areas without the
/// +1 pixel convention.
/// </summary>
internal sealed class Nms
{
    private readonly List<int>[] keptPerClass;
    private long[] sortKeys = [];

    public Nms(int classCount)
    {
        keptPerClass = new List<int>[Math.Max(1, classCount)];
        for (var i = 0; i < keptPerClass.Length; i++)
        {
            keptPerClass[i] = new List<int>(32);
        }
    }

    /// <summary>
    /// Sorts <paramref name="candidates"/> by descending score (stable for ties, so results do not depend on
    /// the sort algorithm), truncates to <paramref name="maxCandidates"/>, suppresses, and returns the number
    /// of survivors, which are moved to the front in descending score order (at most <paramref name="maxKeep"/>).
    /// </summary>
    public int Run(Span<Candidate> candidates, float iouThreshold, int maxKeep, int maxCandidates)
    {
        SortDescending(candidates);
        if (candidates.Length > maxCandidates)
        {
            candidates = candidates[..maxCandidates];
        }

        foreach (var list in keptPerClass)
        {
            list.Clear();
        }

        var kept = 0;
        for (var i = 0; i < candidates.Length && kept < maxKeep; i++)
        {
            var c = candidates[i];
            var list = keptPerClass[c.ClassIndex];
            var suppressed = false;
            foreach (var k in list)
            {
                if (Iou(candidates[k], c) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (suppressed)
            {
                continue;
            }

            // Survivors are compacted in place; index kept <= i so no unread candidate is overwritten.
            candidates[kept] = c;
            list.Add(kept);
            kept++;
        }

        return kept;
    }

    /// <summary>Intersection over union of two corner-form boxes (0 when the union is empty).</summary>
    public static float Iou(in Candidate a, in Candidate b)
    {
        var w = MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1);
        var h = MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = w * h;
        var union = a.Area + b.Area - inter;
        return union > 0 ? inter / union : 0;
    }

    private void SortDescending(Span<Candidate> candidates)
    {
        // Key = (descending score, ascending index): for non-negative floats the IEEE bit pattern orders
        // like the value, so one long sort gives a stable descending order without a comparer delegate.
        if (sortKeys.Length < candidates.Length)
        {
            sortKeys = new long[candidates.Length];
        }

        var keys = sortKeys.AsSpan(0, candidates.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            var bits = BitConverter.SingleToInt32Bits(MathF.Max(0f, candidates[i].Score));
            keys[i] = ((long)(int.MaxValue - bits) << 32) | (uint)i;
        }

        keys.Sort(candidates);
    }
}
