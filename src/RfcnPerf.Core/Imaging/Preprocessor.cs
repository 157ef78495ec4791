using System.Runtime.Intrinsics;
using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>
/// Resizes a decoded image (bilinear, like OpenCV's INTER_LINEAR) and writes it, normalised, straight into
/// a slot of a caller-owned tensor buffer. The resize is Skia's <c>ScalePixels</c> bit for bit, computed by
/// <see cref="LowpBilinear"/> in the same pass as the normalisation (Skia itself only for images with a side past
/// <see cref="LowpBilinear.MaxSide"/>); only the letterbox border is filled with the pad value. Keeps scratch
/// buffers per instance, so it is not thread-safe: use one per pipeline.
/// </summary>
public sealed class Preprocessor : IDisposable
{
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);
    private readonly PreprocessSpec spec;
    private readonly float[] scale = new float[3];
    private readonly float[] bias = new float[3];
    private readonly LowpBilinear bilinear = new();
    private SKBitmap? scratch;

    /// <summary>Creates a preprocessor for one input spec.</summary>
    public Preprocessor(PreprocessSpec spec)
    {
        this.spec = spec;
        for (var c = 0; c < 3; c++)
        {
            // (p - mean) / std == p * (1/std) + (-mean/std): a multiply and an add per element, each rounded (not
            // fused), in the scalar and the vector loops alike, so every path gives the same tensor bits.
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

        FillPadding(destination, geo, plane);

        // Channel c of the tensor takes source channel order[c] (RGBA bytes: R=0, G=1, B=2; in the little-endian
        // uint of a pixel, bits 0, 8 and 16).
        var c0Shift = spec.Bgr ? 16 : 0;
        var c2Shift = spec.Bgr ? 0 : 16;
        unsafe
        {
            fixed (float* dst = destination)
            {
                var origin = dst + (geo.PadY * spec.InputWidth) + geo.PadX;
                var sameSize = geo.ResizedWidth == image.Width && geo.ResizedHeight == image.Height;
                if (!sameSize && LowpBilinear.Supports(image.Width, image.Height))
                {
                    // Resize and normalise in one pass, Skia's bits without its resized bitmap.
                    bilinear.Resize((byte*)image.Bitmap.GetPixels(), image.Bitmap.RowBytes, image.Width, image.Height,
                        geo.ResizedWidth, geo.ResizedHeight, c0Shift, c2Shift, scale, bias,
                        origin, origin + plane, origin + (2 * plane), spec.InputWidth);
                    return geo;
                }

                var resized = sameSize ? image.Bitmap : SkiaResize(image, geo);
                var pixels = (byte*)resized.GetPixels();
                var rowBytes = resized.RowBytes;
                for (var y = 0; y < geo.ResizedHeight; y++)
                {
                    var row = origin + (y * spec.InputWidth);
                    ConvertRow((uint*)(pixels + ((long)y * rowBytes)), geo.ResizedWidth, c0Shift, c2Shift, row, row + plane, row + (2 * plane));
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

    /// <summary>Skia's own resize into the scratch bitmap: images with a side past <see cref="LowpBilinear.MaxSide"/>.</summary>
    private SKBitmap SkiaResize(DecodedImage image, LetterboxGeometry geo)
    {
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

    /// <summary>
    /// One row of RGBA8888 pixels (little-endian uint: R in bits 0-7, G 8-15, B 16-23) to three float planes,
    /// <c>value = (float)byte * scale + bias</c> per channel, channel 0 taken from bits <paramref name="c0Shift"/>
    /// and channel 2 from <paramref name="c2Shift"/>. Multiply and add stay two rounded operations in every path
    /// (never a fused multiply-add), so the vector lanes give the scalar loop's bits.
    /// </summary>
    private unsafe void ConvertRow(uint* src, int width, int c0Shift, int c2Shift, float* d0, float* d1, float* d2)
    {
        float s0 = scale[0], s1 = scale[1], s2 = scale[2], b0 = bias[0], b1 = bias[1], b2 = bias[2];
        var x = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var mask = Vector512.Create(0xFFu);
            Vector512<float> vs0 = Vector512.Create(s0), vs1 = Vector512.Create(s1), vs2 = Vector512.Create(s2);
            Vector512<float> vb0 = Vector512.Create(b0), vb1 = Vector512.Create(b1), vb2 = Vector512.Create(b2);
            for (; x <= width - Vector512<uint>.Count; x += Vector512<uint>.Count)
            {
                var p = Vector512.Load(src + x);
                Vector512.Add(Vector512.Multiply(ToFloat((p >>> c0Shift) & mask), vs0), vb0).Store(d0 + x);
                Vector512.Add(Vector512.Multiply(ToFloat((p >>> 8) & mask), vs1), vb1).Store(d1 + x);
                Vector512.Add(Vector512.Multiply(ToFloat((p >>> c2Shift) & mask), vs2), vb2).Store(d2 + x);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(0xFFu);
            Vector256<float> vs0 = Vector256.Create(s0), vs1 = Vector256.Create(s1), vs2 = Vector256.Create(s2);
            Vector256<float> vb0 = Vector256.Create(b0), vb1 = Vector256.Create(b1), vb2 = Vector256.Create(b2);
            for (; x <= width - Vector256<uint>.Count; x += Vector256<uint>.Count)
            {
                var p = Vector256.Load(src + x);
                Vector256.Add(Vector256.Multiply(ToFloat((p >>> c0Shift) & mask), vs0), vb0).Store(d0 + x);
                Vector256.Add(Vector256.Multiply(ToFloat((p >>> 8) & mask), vs1), vb1).Store(d1 + x);
                Vector256.Add(Vector256.Multiply(ToFloat((p >>> c2Shift) & mask), vs2), vb2).Store(d2 + x);
            }
        }

        for (; x < width; x++)
        {
            var p = src[x];
            d0[x] = ((byte)(p >> c0Shift) * s0) + b0;
            d1[x] = ((byte)(p >> 8) * s1) + b1;
            d2[x] = ((byte)(p >> c2Shift) * s2) + b2;
        }
    }

    // Bytes 0-255 in int lanes: the signed conversion is exact.
    private static Vector512<float> ToFloat(Vector512<uint> bytes) => Vector512.ConvertToSingle(bytes.AsInt32());

    private static Vector256<float> ToFloat(Vector256<uint> bytes) => Vector256.ConvertToSingle(bytes.AsInt32());

    /// <summary>
    /// Fills the letterbox border of each plane with the normalised pad value, leaving the image rectangle (about
    /// half of a 640 input for a 640x480 image) for the row conversion to write once. In one plane the border is
    /// one run before the first image row, one run of <c>InputWidth - ResizedWidth</c> between consecutive image
    /// rows (right pad of a row, left pad of the next) and one run after the last image row.
    /// </summary>
    private void FillPadding(Span<float> destination, LetterboxGeometry geo, int plane)
    {
        if (geo.ResizedWidth == spec.InputWidth && geo.ResizedHeight == spec.InputHeight)
        {
            return;
        }

        var width = spec.InputWidth;
        var first = (geo.PadY * width) + geo.PadX;
        var last = ((geo.PadY + geo.ResizedHeight - 1) * width) + geo.PadX + geo.ResizedWidth;
        var gap = width - geo.ResizedWidth;
        for (var c = 0; c < 3; c++)
        {
            // Mean/Std are in tensor channel order.
            var value = (spec.PadValue * scale[c]) + bias[c];
            var p = destination.Slice(c * plane, plane);
            p[..first].Fill(value);
            if (gap > 0)
            {
                for (var y = 1; y < geo.ResizedHeight; y++)
                {
                    p.Slice(first + (y * width) - gap, gap).Fill(value);
                }
            }

            p[last..].Fill(value);
        }
    }
}
