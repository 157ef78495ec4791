using RfcnPerf.Coco;

namespace RfcnPerf.Accuracy;

/// <summary>
/// A precision-recall curve from COCOeval.accumulate's precision[T,R,K,A,M] array at one IoU threshold, area
/// "all" and maxDets 100: for every recall threshold, the mean precision over the categories that have ground
/// truth (pycocotools marks the others -1 and summarize() skips them the same way).
/// </summary>
/// <param name="IouThreshold">The IoU threshold of the T axis used.</param>
/// <param name="Recall">Recall thresholds (0, 0.01, ..., 1).</param>
/// <param name="Precision">Mean interpolated precision at each recall threshold (NaN where no category has data).</param>
public sealed record PrecisionRecallCurve(double IouThreshold, IReadOnlyList<double> Recall, IReadOnlyList<double> Precision)
{
    // IoU thresholds come from np.linspace (0.8999999999999999 for .9), so look them up with a tolerance.
    private const double IouMatchTolerance = 1e-9;

    /// <summary>The curve at <paramref name="iou"/>, or null when that threshold, area "all" or maxDets 100 was not evaluated.</summary>
    public static PrecisionRecallCurve? From(CocoAccumulation accumulation, double iou)
    {
        ArgumentNullException.ThrowIfNull(accumulation);
        var t = IndexOf(accumulation.IouThrs, v => Math.Abs(v - iou) < IouMatchTolerance);
        var a = IndexOf(accumulation.AreaRanges, r => r.Label == "all");
        var m = IndexOf(accumulation.MaxDets, d => d == 100);
        if (t < 0 || a < 0 || m < 0)
        {
            return null;
        }

        var categories = accumulation.CategoryIds.Count;
        var precision = new double[accumulation.RecThrs.Count];
        for (var r = 0; r < precision.Length; r++)
        {
            double sum = 0;
            var n = 0;
            for (var k = 0; k < categories; k++)
            {
                var p = accumulation.GetPrecision(t, r, k, a, m);
                if (p > -1)
                {
                    sum += p;
                    n++;
                }
            }

            precision[r] = n > 0 ? sum / n : double.NaN;
        }

        return new PrecisionRecallCurve(accumulation.IouThrs[t], [.. accumulation.RecThrs], precision);
    }

    private static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
