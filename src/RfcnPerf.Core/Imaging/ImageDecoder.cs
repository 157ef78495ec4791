using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>Decodes JPEG/PNG (grayscale and CMYK included) to RGBA8888 with SkiaSharp.</summary>
public static class ImageDecoder
{
    /// <summary>
    /// The largest image decoded, in pixels (64 Mi, e.g. 8192 x 8192; 256 MiB as RGBA). A header declares the
    /// size before any pixel data, so without a cap a 100-byte file could make the decoder allocate and fill
    /// gigabytes; detection inputs are far smaller (COCO images are at most 640 pixels a side).
    /// </summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>
    /// Decodes <paramref name="path"/>. A missing file, a file that is not an image, a truncated/corrupt one or
    /// one larger than <see cref="MaxPixels"/> raises <see cref="RfcnPerfException"/> naming the file.
    /// </summary>
    public static DecodedImage Decode(string path)
    {
        if (!File.Exists(path))
        {
            throw new RfcnPerfException($"image not found: {path}");
        }

        using var data = SKData.Create(path)
            ?? throw new RfcnPerfException($"image could not be read: {path}");
        return Decode(data, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="source"/> names them in messages.</summary>
    internal static DecodedImage Decode(byte[] bytes, string source)
    {
        using var data = SKData.CreateCopy(bytes);
        return Decode(data, source);
    }

    private static DecodedImage Decode(SKData data, string source)
    {
        using var codec = SKCodec.Create(data)
            ?? throw new RfcnPerfException($"not a decodable image (JPEG/PNG expected): {source}");

        // Skia converts gray and CMYK (including Adobe's inverted CMYK) to the requested RGBA; the codec's
        // EXIF origin is deliberately ignored.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
        {
            throw new RfcnPerfException(
                $"image of {width} x {height} pixels declared, expected 1 to {MaxPixels:N0} pixels: {source}");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new RfcnPerfException($"corrupt image ({DescribeResult(result)}): {source}");
        }

        return new DecodedImage(source, bitmap);
    }

    private static string DescribeResult(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated data",
        SKCodecResult.ErrorInInput => "invalid data",
        SKCodecResult.InvalidConversion => "unsupported pixel format",
        _ => result.ToString(),
    };
}
