using SkiaSharp;

namespace RfcnPerf.Testing.Fuzzing;

/// <summary>
/// Tiny PNG (RGBA, gray) and JPEG (colour, gray) images encoded by Skia itself, as fuzzing seeds. Shared by the
/// CsCheck tests and the AFL harness (fuzz/RfcnPerf.Fuzz links this file).
/// </summary>
internal static class ImageSeeds
{
    public static IReadOnlyDictionary<string, byte[]> All()
    {
        var seeds = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var colorType in new[] { SKColorType.Rgba8888, SKColorType.Gray8 })
        {
            using var bitmap = new SKBitmap(new SKImageInfo(12, 8, colorType, SKAlphaType.Premul));
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 20), (byte)(y * 30), (byte)((x + y) * 10), (byte)(255 - x)));
                }
            }

            foreach (var (format, ext) in new[] { (SKEncodedImageFormat.Png, "png"), (SKEncodedImageFormat.Jpeg, "jpg") })
            {
                using var data = bitmap.Encode(format, 75);
                seeds[$"{colorType.ToString().ToLowerInvariant()}.{ext}"] = data.ToArray();
            }
        }

        return seeds;
    }
}
