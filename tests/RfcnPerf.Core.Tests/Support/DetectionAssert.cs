using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>An expected detection in original pixels (COCO [x, y, w, h]).</summary>
public readonly record struct Expected(int CategoryId, float Score, float X, float Y, float Width, float Height);

/// <summary>Compares decoded detections with hand-computed ones, in order.</summary>
internal static class DetectionAssert
{
    // Decoders work in float32 on coordinates below 700 px and divide by the letterbox scale once: the
    // rounding is ~1e-4 px, while any wrong pad, scale, stride or offset is at least a quarter pixel.
    public const float PixelTolerance = 1e-3f;

    public static void AssertDetections(IReadOnlyList<Expected> expected, IReadOnlyList<Detection> actual)
    {
        Assert.True(expected.Count == actual.Count, $"expected {expected.Count} detections, got {actual.Count}: {string.Join("; ", actual)}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(
                e.CategoryId == a.CategoryId && e.Score == a.Score
                    && MathF.Abs(e.X - a.X) <= PixelTolerance && MathF.Abs(e.Y - a.Y) <= PixelTolerance
                    && MathF.Abs(e.Width - a.Width) <= PixelTolerance && MathF.Abs(e.Height - a.Height) <= PixelTolerance,
                $"detection {i}: expected {e}, got {a}");
        }
    }
}
