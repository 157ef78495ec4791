using SkiaSharp;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Writes small lossless synthetic images for pre-processing tests.</summary>
internal static class TestImages
{
    /// <summary>Writes a PNG whose pixel (x, y) is <paramref name="pixel"/>(x, y), opaque.</summary>
    public static string WritePng(string path, int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b, 255));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
