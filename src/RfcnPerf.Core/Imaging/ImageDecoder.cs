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
        using var codec = SKCodec.Create(data)
            ?? throw new RfcnPerfException($"not a decodable image (JPEG/PNG expected): {path}");

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
