namespace RfcnPerf.Core.PostProcessing;

/// <summary>
/// Generalized-Focal-Loss / DFL box distributions (NanoDet's GFL head, yolov8's DFL): a side's distance is the
/// expectation of its bin index under the softmax of its bin logits.
/// </summary>
internal static class DistributionFocal
{
    /// <summary>Softmax over the bins, then the expected bin index (0..bins-1).</summary>
    public static float Expectation(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits)
        {
            max = MathF.Max(max, v);
        }

        float sum = 0, weighted = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }

        return weighted / sum;
    }
}
