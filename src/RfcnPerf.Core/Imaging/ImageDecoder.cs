using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>Decodes JPEG/PNG (grayscale and CMYK included) to RGBA8888 with SkiaSharp, JPEGs with the system's libjpeg-turbo when it has one (<see cref="TurboJpeg"/>).</summary>
public static class ImageDecoder
{
    /// <summary>
    /// The largest image decoded, in pixels (64 Mi, e.g. 8192 x 8192; 256 MiB as RGBA). A header declares the
    /// size before any pixel data, so without a cap a 100-byte file could make the decoder allocate and fill
    /// gigabytes; detection inputs are far smaller (COCO images are at most 640 pixels a side).
    /// </summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>What decodes JPEGs here: the system's SIMD libjpeg-turbo when found (<see cref="TurboJpeg"/>), else SkiaSharp.</summary>
    public static string JpegDecoder => TurboJpeg.Describe();

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
        return Decode(data, path, MaxPixels);
    }

    /// <summary>
    /// Decodes encoded JPEG/PNG bytes; <paramref name="name"/> stands in for the path in messages. An image of
    /// more than <paramref name="maxPixels"/> pixels (at most <see cref="MaxPixels"/>) is refused from its header,
    /// before any pixel is decoded.
    /// </summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> encoded, string name, long maxPixels = MaxPixels)
    {
        using var data = SKData.CreateCopy(encoded);
        return Decode(data, name, maxPixels);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="source"/> names them in messages.</summary>
    internal static DecodedImage Decode(byte[] bytes, string source)
    {
        using var data = SKData.CreateCopy(bytes);
        return Decode(data, source, MaxPixels);
    }

    /// <summary>Decodes with Skia alone, never the system libjpeg-turbo (the reference its pixels are checked against).</summary>
    internal static DecodedImage DecodeWithSkia(byte[] bytes, string source)
    {
        using var data = SKData.CreateCopy(bytes);
        return Decode(data, source, MaxPixels, systemJpeg: false);
    }

    private static DecodedImage Decode(SKData data, string source, long maxPixels, bool systemJpeg = true)
    {
        using var codec = SKCodec.Create(data)
            ?? throw new RfcnPerfException($"not a decodable image (JPEG/PNG expected): {source}");
        if (maxPixels < MaxPixels && (long)codec.Info.Width * codec.Info.Height > maxPixels)
        {
            throw new RfcnPerfException($"image {source} has {codec.Info.Width}x{codec.Info.Height} pixels, more than the limit of {maxPixels}");
        }

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

        // The system's SIMD libjpeg-turbo when present (same pixels, TurboJpeg); Skia for everything it leaves.
        if (systemJpeg && codec.EncodedFormat == SKEncodedImageFormat.Jpeg && TurboJpeg.TryDecode(data.AsSpan(), width, height, bitmap.GetPixels(), bitmap.RowBytes))
        {
            return new DecodedImage(source, bitmap);
        }

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
