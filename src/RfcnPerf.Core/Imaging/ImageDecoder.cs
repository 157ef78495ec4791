using SkiaSharp;

namespace RfcnPerf.Core.Imaging;

/// <summary>Decodes JPEG/PNG (grayscale and CMYK included) to RGBA8888 with SkiaSharp.</summary>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes <paramref name="path"/>. A missing file, a file that is not an image, or a truncated/corrupt one
    /// raises <see cref="RfcnPerfException"/> naming the file.
    /// </summary>
    public static DecodedImage Decode(string path)
    {
        if (!File.Exists(path))
        {
            throw new RfcnPerfException($"image not found: {path}");
        }

        using var data = SKData.Create(path)
            ?? throw new RfcnPerfException($"image could not be read: {path}");
        return Decode(data, path, long.MaxValue);
    }

    /// <summary>
    /// Decodes encoded JPEG/PNG bytes; <paramref name="name"/> stands in for the path in messages. An image of
    /// more than <paramref name="maxPixels"/> pixels is refused from its header, before any pixel is decoded.
    /// </summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> encoded, string name, long maxPixels = long.MaxValue)
    {
        using var data = SKData.CreateCopy(encoded);
        return Decode(data, name, maxPixels);
    }

    private static DecodedImage Decode(SKData data, string path, long maxPixels)
    {
        using var codec = SKCodec.Create(data)
            ?? throw new RfcnPerfException($"not a decodable image (JPEG/PNG expected): {path}");
        if ((long)codec.Info.Width * codec.Info.Height > maxPixels)
        {
            throw new RfcnPerfException($"image {path} has {codec.Info.Width}x{codec.Info.Height} pixels, more than the limit of {maxPixels}");
        }

        // Skia converts gray and CMYK (including Adobe's inverted CMYK) to the requested RGBA; the codec's
        // EXIF origin is deliberately ignored.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new RfcnPerfException($"corrupt image ({DescribeResult(result)}): {path}");
        }

        return new DecodedImage(path, bitmap);
    }

    private static string DescribeResult(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated data",
        SKCodecResult.ErrorInInput => "invalid data",
        SKCodecResult.InvalidConversion => "unsupported pixel format",
        _ => result.ToString(),
    };
}
