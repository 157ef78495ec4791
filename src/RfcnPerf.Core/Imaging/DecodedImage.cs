using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>
/// An image decoded to RGBA8888 in its stored orientation (no EXIF rotation: COCO boxes refer to the stored
/// pixels). Owns its bitmap.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    internal DecodedImage(string path, SKBitmap bitmap)
    {
        Path = path;
        Bitmap = bitmap;
    }

    /// <summary>Source file.</summary>
    public string Path { get; }

    /// <summary>Width in stored pixels.</summary>
    public int Width => Bitmap.Width;

    /// <summary>Height in stored pixels.</summary>
    public int Height => Bitmap.Height;

    /// <summary>RGBA8888 pixels, unpremultiplied.</summary>
    internal SKBitmap Bitmap { get; }

    /// <summary>
    /// Wraps packed RGB bytes (row-major, <c>height x width x 3</c>, as a uint8 HxWx3 tensor holds them);
    /// <paramref name="name"/> stands in for the path in messages.
    /// </summary>
    public static DecodedImage FromRgb(ReadOnlySpan<byte> rgb, int width, int height, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgb.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"rgb has {rgb.Length} bytes but {width}x{height}x3 needs {width * height * 3}", nameof(rgb));
        }

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        unsafe
        {
            var pixels = (byte*)bitmap.GetPixels();
            var rowBytes = bitmap.RowBytes;
            for (var y = 0; y < height; y++)
            {
                var src = rgb.Slice(y * width * 3, width * 3);
                var dst = new Span<byte>(pixels + ((long)y * rowBytes), width * 4);
                for (var x = 0; x < width; x++)
                {
                    dst[(x * 4) + 0] = src[(x * 3) + 0];
                    dst[(x * 4) + 1] = src[(x * 3) + 1];
                    dst[(x * 4) + 2] = src[(x * 3) + 2];
                    dst[(x * 4) + 3] = 255;
                }
            }
        }

        return new DecodedImage(name, bitmap);
    }

    /// <summary>The pixels as packed RGB bytes (<c>height x width x 3</c>), alpha dropped.</summary>
    public byte[] ToRgb()
    {
        var rgb = new byte[checked(Width * Height * 3)];
        Preprocessor.WriteNhwcBytes(this, rgb);
        return rgb;
    }

    /// <inheritdoc />
    public void Dispose() => Bitmap.Dispose();
}
