using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>
/// Resizes a decoded image (bilinear, like OpenCV's INTER_LINEAR) and writes it, normalised, straight into
/// a slot of a caller-owned tensor buffer. Keeps one scratch bitmap per instance, so it is not thread-safe:
/// use one per pipeline.
/// </summary>
public sealed class Preprocessor : IDisposable
{
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);
    private readonly PreprocessSpec spec;
    private readonly float[] scale = new float[3];
    private readonly float[] bias = new float[3];
    private SKBitmap? scratch;

    /// <summary>Creates a preprocessor for one input spec.</summary>
    public Preprocessor(PreprocessSpec spec)
    {
        this.spec = spec;
        for (var c = 0; c < 3; c++)
        {
            // (p - mean) / std == p * (1/std) + (-mean/std): one FMA per element in the hot loop.
            scale[c] = 1f / spec.Std[c];
            bias[c] = -spec.Mean[c] / spec.Std[c];
        }
    }

    /// <summary>The spec this preprocessor applies.</summary>
    public PreprocessSpec Spec => spec;

    /// <summary>Geometry the image will get (without writing anything).</summary>
    public LetterboxGeometry GeometryFor(int width, int height) =>
        LetterboxGeometry.Compute(width, height, spec.InputWidth, spec.InputHeight, spec.Resize);

    /// <summary>Writes one NCHW float image into <paramref name="destination"/> (length = ElementsPerImage).</summary>
    public LetterboxGeometry WriteNchw(DecodedImage image, Span<float> destination)
    {
        var geo = GeometryFor(image.Width, image.Height);
        var plane = spec.InputWidth * spec.InputHeight;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats, the input needs {3 * plane}", nameof(destination));
        }

        var resized = Resize(image, geo);
        FillPadding(destination, geo, plane);

        // Channel c of the tensor takes source channel order[c] (RGBA bytes: R=0, G=1, B=2).
        int c0 = spec.Bgr ? 2 : 0, c2 = spec.Bgr ? 0 : 2;
        unsafe
        {
            var pixels = (byte*)resized.GetPixels();
            var rowBytes = resized.RowBytes;
            float s0 = scale[0], s1 = scale[1], s2 = scale[2], b0 = bias[0], b1 = bias[1], b2 = bias[2];
            for (var y = 0; y < geo.ResizedHeight; y++)
            {
                var src = pixels + ((long)y * rowBytes);
                var offset = ((y + geo.PadY) * spec.InputWidth) + geo.PadX;
                var d0 = destination.Slice(offset, geo.ResizedWidth);
                var d1 = destination.Slice(plane + offset, geo.ResizedWidth);
                var d2 = destination.Slice((2 * plane) + offset, geo.ResizedWidth);
                for (var x = 0; x < geo.ResizedWidth; x++)
                {
                    var p = src + (x * 4);
                    d0[x] = (p[c0] * s0) + b0;
                    d1[x] = (p[1] * s1) + b1;
                    d2[x] = (p[c2] * s2) + b2;
                }
            }
        }

        return geo;
    }

    /// <summary>
    /// Writes one NHWC uint8 RGB image at its own size into <paramref name="destination"/>
    /// (length >= width*height*3); returns the geometry (identity).
    /// </summary>
    public static LetterboxGeometry WriteNhwcBytes(DecodedImage image, Span<byte> destination)
    {
        var geo = LetterboxGeometry.Compute(image.Width, image.Height, image.Width, image.Height, ResizeMode.None);
        var needed = image.Width * image.Height * 3;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the image needs {needed}", nameof(destination));
        }

        unsafe
        {
            var pixels = (byte*)image.Bitmap.GetPixels();
            var rowBytes = image.Bitmap.RowBytes;
            for (var y = 0; y < image.Height; y++)
            {
                var src = pixels + ((long)y * rowBytes);
                var dst = destination.Slice(y * image.Width * 3, image.Width * 3);
                for (var x = 0; x < image.Width; x++)
                {
                    dst[(x * 3) + 0] = src[(x * 4) + 0];
                    dst[(x * 3) + 1] = src[(x * 4) + 1];
                    dst[(x * 3) + 2] = src[(x * 4) + 2];
                }
            }
        }

        return geo;
    }

    /// <inheritdoc />
    public void Dispose() => scratch?.Dispose();

    private SKBitmap Resize(DecodedImage image, LetterboxGeometry geo)
    {
        if (geo.ResizedWidth == image.Width && geo.ResizedHeight == image.Height)
        {
            return image.Bitmap;
        }

        if (scratch is null || scratch.Width != geo.ResizedWidth || scratch.Height != geo.ResizedHeight)
        {
            scratch?.Dispose();
            scratch = new SKBitmap(new SKImageInfo(geo.ResizedWidth, geo.ResizedHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        }

        if (!image.Bitmap.ScalePixels(scratch, Bilinear))
        {
            throw new RfcnPerfException($"could not resize {image.Path} to {geo.ResizedWidth}x{geo.ResizedHeight}");
        }

        return scratch;
    }

    private void FillPadding(Span<float> destination, LetterboxGeometry geo, int plane)
    {
        if (geo.ResizedWidth == spec.InputWidth && geo.ResizedHeight == spec.InputHeight)
        {
            return;
        }

        // Mean/Std are in tensor channel order. Filling whole planes before the image is written is simpler
        // than four border rectangles and costs about as much.
        for (var c = 0; c < 3; c++)
        {
            destination.Slice(c * plane, plane).Fill((spec.PadValue * scale[c]) + bias[c]);
        }
    }
}
