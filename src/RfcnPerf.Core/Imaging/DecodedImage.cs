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

    /// <inheritdoc />
    public void Dispose() => Bitmap.Dispose();
}
