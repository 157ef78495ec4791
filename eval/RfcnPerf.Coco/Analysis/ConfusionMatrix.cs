namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// A (K + 1) x (K + 1) confusion matrix at a score threshold: row = true class, column = predicted class, the last row
/// and column "background". Built on COCOeval's matching at IoU 0.5 (area all, maxDets 100) of the detections scoring
/// at least <see cref="ScoreThreshold"/>: a true positive counts on the diagonal; a false positive is then paired,
/// greedily by score, with the still unmatched ground truth of another class it overlaps most if that IoU is &gt;= 0.5
/// (a class confusion), else it is a background row entry; ground truths left unmatched fill the background column.
/// Detections matched to crowd boxes and crowd ground truths are left out, as COCOeval leaves them out. So row c sums
/// to the ground truths of class c and column c to the detections of class c kept at the threshold.
/// </summary>
/// <param name="ScoreThreshold">Detections scoring at least this are counted.</param>
/// <param name="CategoryIds">The K categories (ground-truth ids, ascending); index K is background.</param>
/// <param name="CategoryNames">Their names.</param>
/// <param name="Counts">Counts[true][predicted].</param>
public sealed record ConfusionMatrix(double ScoreThreshold, IReadOnlyList<long> CategoryIds, IReadOnlyList<string> CategoryNames, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    /// <summary>The index of background in <see cref="Counts"/> (= K).</summary>
    public int Background => CategoryIds.Count;

    /// <summary>Each row divided by its sum (the share of a true class predicted as each class; rows without any
    /// entry stay 0).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Normalized => [.. Counts.Select(row =>
    {
        double sum = row.Sum();
        return (IReadOnlyList<double>)[.. row.Select(c => sum > 0 ? c / sum : 0)];
    })];

    /// <summary>The class pairs (true, predicted; both real classes, not the same) counted most often, most first.</summary>
    public IReadOnlyList<ConfusedPair> MostConfused(int count)
    {
        var pairs = new List<ConfusedPair>();
        for (int t = 0; t < Background; t++)
        {
            int rowSum = Counts[t].Sum();
            for (int p = 0; p < Background; p++)
            {
                if (p != t && Counts[t][p] > 0)
                {
                    pairs.Add(new ConfusedPair(CategoryIds[t], CategoryNames[t], CategoryIds[p], CategoryNames[p], Counts[t][p], (double)Counts[t][p] / rowSum));
                }
            }
        }

        return [.. pairs.OrderByDescending(x => x.Count).ThenByDescending(x => x.ShareOfTrueClass).ThenBy(x => x.TrueId).ThenBy(x => x.PredictedId).Take(count)];
    }

    internal static ConfusionMatrix At(CocoMatches m, double threshold)
    {
        var gt = m.GroundTruth;
        var dt = m.Results;
        var a = gt.Annotations;
        int k = gt.Categories.Count;
        var slot = new Dictionary<long, int>(k);
        for (int c = 0; c < k; c++)
        {
            slot[gt.Categories[c].Id] = c;
        }

        var counts = new int[k + 1, k + 1];
        var falsePositives = new Dictionary<long, List<int>>();
        for (int j = 0; j < m.Detections.Length; j++)
        {
            int d = m.Detections[j];
            if (m.Outcomes[j] == CocoMatches.Ignored || dt.Score[d] < threshold)
            {
                continue;
            }

            if (m.Outcomes[j] == CocoMatches.TruePositive)
            {
                int c = slot[dt.CategoryId[d]];
                counts[c, c]++;
            }
            else
            {
                ListOf(falsePositives, dt.ImageId[d]).Add(d);
            }
        }

        var unmatched = new Dictionary<long, List<int>>();
        for (int j = 0; j < m.GroundTruths.Length; j++)
        {
            int by = m.MatchedBy[j];
            if (by < 0 || dt.Score[by] < threshold)
            {
                ListOf(unmatched, a.ImageId[m.GroundTruths[j]]).Add(m.GroundTruths[j]);
            }
        }

        foreach (var (image, dets) in falsePositives)
        {
            var free = unmatched.GetValueOrDefault(image) ?? [];
            var order = dets.ToArray();
            StableSort.ByDescendingKey(order, dt.Score, new int[(order.Length / 2) + 1]);
            foreach (int d in order)
            {
                int best = -1;
                double bestIou = CocoMatches.IouThreshold;
                for (int g = 0; g < free.Count; g++)
                {
                    if (a.CategoryId[free[g]] == dt.CategoryId[d])
                    {
                        continue;
                    }

                    double iou = BoxIou.Compute(dt.Box.AsSpan(4 * d, 4), a.Box.AsSpan(4 * free[g], 4), crowd: false);
                    if (iou >= bestIou && (best < 0 || iou > bestIou))
                    {
                        (best, bestIou) = (g, iou);
                    }
                }

                int predicted = slot[dt.CategoryId[d]];
                if (best >= 0)
                {
                    counts[slot[a.CategoryId[free[best]]], predicted]++;
                    free.RemoveAt(best);
                }
                else
                {
                    counts[k, predicted]++;
                }
            }
        }

        foreach (var left in unmatched.Values)
        {
            foreach (int g in left)
            {
                counts[slot[a.CategoryId[g]], k]++;
            }
        }

        var rows = new IReadOnlyList<int>[k + 1];
        for (int t = 0; t <= k; t++)
        {
            var row = new int[k + 1];
            for (int p = 0; p <= k; p++)
            {
                row[p] = counts[t, p];
            }

            rows[t] = row;
        }

        return new ConfusionMatrix(threshold, [.. gt.Categories.Select(c => c.Id)], [.. gt.Categories.Select(c => c.Name)], rows);
    }

    private static List<int> ListOf(Dictionary<long, List<int>> map, long key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        return list;
    }
}
