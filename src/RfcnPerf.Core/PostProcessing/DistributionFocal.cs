using System.Runtime.Intrinsics;

namespace RfcnPerf.Core.PostProcessing;

/// <summary>
/// Generalized-Focal-Loss / DFL box distributions (NanoDet's GFL head, yolov8's DFL): a side's distance is the
/// expectation of its bin index under the softmax of its bin logits.
/// </summary>
internal static class DistributionFocal
{
    /// <summary>Softmax over the bins, then the expected bin index (0..bins-1).</summary>
    /// <remarks>
    /// Bin counts that are a multiple of 8 (NanoDet's 8, yolov8's 16) take 8 exponentials at a time
    /// (<see cref="Vector256.Exp(Vector256{float})"/>): at yolov8's evaluation threshold (0.001) nearly every
    /// anchor is decoded, 64 exponentials each, and the scalar loop cost more than the graph's tail it replaces.
    /// Vector and scalar paths agree to float rounding (a few ulp), not bit for bit.
    /// </remarks>
    public static float Expectation(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits)
        {
            max = MathF.Max(max, v);
        }

        if (Vector256.IsHardwareAccelerated && logits.Length % Vector256<float>.Count == 0)
        {
            var shift = Vector256.Create(max);
            var index = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
            var step = Vector256.Create((float)Vector256<float>.Count);
            Vector256<float> sums = Vector256<float>.Zero, weighted = Vector256<float>.Zero;
            for (var i = 0; i < logits.Length; i += Vector256<float>.Count)
            {
                var e = Vector256.Exp(Vector256.Create(logits.Slice(i, Vector256<float>.Count)) - shift);
                sums += e;
                weighted += e * index;
                index += step;
            }

            return Vector256.Sum(weighted) / Vector256.Sum(sums);
        }

        float sum = 0, weightedSum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weightedSum += e * i;
        }

        return weightedSum / sum;
    }
}
