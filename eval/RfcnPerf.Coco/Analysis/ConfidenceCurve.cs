namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// Precision, recall and F1 of all detections pooled over classes (micro average) when only those scoring at least a
/// threshold are kept, with COCOeval's matching at IoU 0.5 (area all, maxDets 100; detections matched to a crowd box
/// are left out, as COCOeval leaves them out). The curve is sampled at thresholds 0.00, 0.01, ..., 1.00; the best F1
/// is searched over every distinct score.
/// </summary>
/// <param name="Thresholds">The sampled score thresholds (k / 100).</param>
/// <param name="Precision">Precision at each threshold (1 when nothing is kept, by convention).</param>
/// <param name="Recall">Recall at each threshold.</param>
/// <param name="F1">F1 at each threshold.</param>
/// <param name="BestThreshold">The score threshold with the highest F1 (the highest such threshold on a tie).</param>
/// <param name="BestPrecision">Precision at <paramref name="BestThreshold"/>.</param>
/// <param name="BestRecall">Recall at <paramref name="BestThreshold"/>.</param>
/// <param name="BestF1">The highest F1.</param>
/// <param name="GroundTruths">Non-crowd ground truths (the recall denominator).</param>
/// <param name="Detections">Detections counted (kept by COCOeval and not ignored).</param>
public sealed record ConfidenceCurve(
    IReadOnlyList<double> Thresholds,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double> F1,
    double BestThreshold,
    double BestPrecision,
    double BestRecall,
    double BestF1,
    int GroundTruths,
    int Detections)
{
    internal static ConfidenceCurve From(CocoMatches m)
    {
        var scores = new List<double>();
        var truePositive = new List<bool>();
        for (int j = 0; j < m.Detections.Length; j++)
        {
            if (m.Outcomes[j] != CocoMatches.Ignored)
            {
                scores.Add(m.Results.Score[m.Detections[j]]);
                truePositive.Add(m.Outcomes[j] == CocoMatches.TruePositive);
            }
        }

        int n = scores.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var key = scores.ToArray();
        StableSort.ByDescendingKey(order, key, new int[(n / 2) + 1]);
        int positives = m.GroundTruths.Length;

        // Best F1 over the distinct scores: walk down the ranking, evaluate after the last detection of each score.
        int tp = 0;
        double bestF1 = 0, bestThreshold = n > 0 ? key[order[0]] : 1, bestP = 1, bestR = 0;
        for (int i = 0; i < n; i++)
        {
            if (truePositive[order[i]])
            {
                tp++;
            }

            if (i + 1 < n && key[order[i + 1]] == key[order[i]])
            {
                continue;
            }

            double f1 = F1Of(tp, i + 1, positives);
            if (f1 > bestF1)
            {
                (bestF1, bestThreshold, bestP, bestR) = (f1, key[order[i]], (double)tp / (i + 1), positives > 0 ? (double)tp / positives : 0);
            }
        }

        const int Steps = 100;
        var thresholds = new double[Steps + 1];
        var precision = new double[Steps + 1];
        var recall = new double[Steps + 1];
        var f1s = new double[Steps + 1];
        for (int s = 0; s <= Steps; s++)
        {
            thresholds[s] = s / (double)Steps;
        }

        // Thresholds ascend while the ranking descends: walk the ranking from the bottom.
        int kept = n, keptTp = truePositive.Count(t => t);
        int at = n - 1;
        for (int s = 0; s <= Steps; s++)
        {
            while (at >= 0 && key[order[at]] < thresholds[s])
            {
                if (truePositive[order[at]])
                {
                    keptTp--;
                }

                kept--;
                at--;
            }

            precision[s] = kept > 0 ? (double)keptTp / kept : 1;
            recall[s] = positives > 0 ? (double)keptTp / positives : 0;
            f1s[s] = F1Of(keptTp, kept, positives);
        }

        return new ConfidenceCurve(thresholds, precision, recall, f1s, bestThreshold, bestP, bestR, bestF1, positives, n);
    }

    // 2PR / (P + R) = 2 TP / (kept + positives); 0 when there is nothing to find and nothing found.
    private static double F1Of(int tp, int kept, int positives) => kept + positives > 0 ? 2.0 * tp / (kept + positives) : 0;
}
