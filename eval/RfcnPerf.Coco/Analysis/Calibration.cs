namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// How well scores predict correctness: the detections (COCOeval's, at IoU 0.5, area all, maxDets 100; those matched
/// to crowd boxes left out) in equal-width score bins, the outcome being "true positive". ECE = sum over bins of
/// (bin count / detections) x |accuracy - mean score|; MCE = the largest |accuracy - mean score| over non-empty bins.
/// </summary>
/// <param name="Bins">The bins, lowest scores first.</param>
/// <param name="ExpectedCalibrationError">ECE (0 to 1).</param>
/// <param name="MaximumCalibrationError">MCE (0 to 1).</param>
/// <param name="Detections">Detections binned.</param>
public sealed record Calibration(IReadOnlyList<CalibrationBin> Bins, double ExpectedCalibrationError, double MaximumCalibrationError, int Detections)
{
    /// <summary>The number of equal-width bins.</summary>
    public const int BinCount = 10;

    internal static Calibration From(CocoMatches m)
    {
        var count = new int[BinCount];
        var scoreSum = new double[BinCount];
        var tp = new int[BinCount];
        int n = 0;
        for (int j = 0; j < m.Detections.Length; j++)
        {
            if (m.Outcomes[j] == CocoMatches.Ignored)
            {
                continue;
            }

            double s = m.Results.Score[m.Detections[j]];

            // Scores outside [0, 1] (a detector's raw logits) fall into the end bins.
            int b = Math.Clamp((int)(s * BinCount), 0, BinCount - 1);
            count[b]++;
            scoreSum[b] += s;
            tp[b] += m.Outcomes[j] == CocoMatches.TruePositive ? 1 : 0;
            n++;
        }

        var bins = new CalibrationBin[BinCount];
        double ece = 0, mce = 0;
        for (int b = 0; b < BinCount; b++)
        {
            double meanScore = count[b] > 0 ? scoreSum[b] / count[b] : double.NaN;
            double accuracy = count[b] > 0 ? (double)tp[b] / count[b] : double.NaN;
            bins[b] = new CalibrationBin(b / (double)BinCount, (b + 1) / (double)BinCount, count[b], meanScore, accuracy);
            if (count[b] > 0)
            {
                double gap = Math.Abs(accuracy - meanScore);
                ece += (double)count[b] / n * gap;
                mce = Math.Max(mce, gap);
            }
        }

        return new Calibration(bins, ece, mce, n);
    }
}
