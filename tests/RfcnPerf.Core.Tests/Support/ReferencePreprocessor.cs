using RfcnPerf.Core.Imaging;
using SkiaSharp;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>
/// The pre-processing as it was written before it was made fast, kept as the straightforward reference the fast
/// <see cref="Preprocessor"/> must match bit for bit: Skia's own bilinear <c>ScalePixels</c> into an RGBA8888
/// unpremultiplied bitmap, whole planes filled with the normalised pad value, then one scalar
/// <c>p * (1/std) + (-mean/std)</c> per element.
/// </summary>
internal static class ReferencePreprocessor
{
    public static LetterboxGeometry WriteNchw(PreprocessSpec spec, DecodedImage image, Span<float> destination)
    {
        var geo = LetterboxGeometry.Compute(image.Width, image.Height, spec.InputWidth, spec.InputHeight, spec.Resize);
        var plane = spec.InputWidth * spec.InputHeight;
        var scale = new float[3];
        var bias = new float[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = 1f / spec.Std[c];
            bias[c] = -spec.Mean[c] / spec.Std[c];
        }

        using var resized = new SKBitmap(new SKImageInfo(geo.ResizedWidth, geo.ResizedHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!image.Bitmap.ScalePixels(resized, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
        {
            throw new InvalidOperationException($"Skia could not resize {image.Width}x{image.Height} to {geo.ResizedWidth}x{geo.ResizedHeight}");
        }

        for (var c = 0; c < 3; c++)
        {
            destination.Slice(c * plane, plane).Fill((spec.PadValue * scale[c]) + bias[c]);
        }

        int c0 = spec.Bgr ? 2 : 0, c2 = spec.Bgr ? 0 : 2;
        var pixels = resized.GetPixelSpan();
        for (var y = 0; y < geo.ResizedHeight; y++)
        {
            for (var x = 0; x < geo.ResizedWidth; x++)
            {
                var p = pixels.Slice((y * resized.RowBytes) + (x * 4), 4);
                var i = ((y + geo.PadY) * spec.InputWidth) + geo.PadX + x;
                destination[i] = (p[c0] * scale[0]) + bias[0];
                destination[plane + i] = (p[1] * scale[1]) + bias[1];
                destination[(2 * plane) + i] = (p[c2] * scale[2]) + bias[2];
            }
        }

        return geo;
    }
}
