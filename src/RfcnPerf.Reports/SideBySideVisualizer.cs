using System.Globalization;
using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using SkiaSharp;
using RfcnPerf.Reporting;

namespace RfcnPerf.Reports;

/// <summary>
/// Draws each model's detections on the same image, one panel per model side by side under a title with the
/// model's name, so a reader sees what INT8 changes. One PNG per image; the images are spread evenly over the
/// processed list (deterministic, not picked by outcome).
/// </summary>
internal static class SideBySideVisualizer
{
    /// <summary>Detections below this score are not drawn (the same default as <c>detect --visualize</c>).</summary>
    public const float MinScore = 0.3f;

    private const int TitleHeight = 44;
    private const int Gap = 12;

    public static IReadOnlyList<ExampleImage> Write(
        string examplesDir,
        CocoGroundTruth gt,
        CategoryMap categories,
        IReadOnlyList<ImageRef> images,
        IReadOnlyList<LabeledRun> runs,
        string outDir,
        int count)
    {
        var chosen = Spread(images, count);
        if (chosen.Count == 0 || runs.Count == 0)
        {
            return [];
        }

        Directory.CreateDirectory(examplesDir);
        var ids = chosen.Select(i => i.ImageId).ToHashSet();
        var perRun = runs.Select(r => DetectionsOf(Path.Combine(outDir, r.Run.Model.Name, r.Run.ResultsFile), gt, ids)).ToArray();
        _ = ChartFonts.Family;
        using var ownTypeface = ChartFonts.RegularFile is { } file ? SKTypeface.FromFile(file) : null;
        var typeface = ownTypeface ?? SKTypeface.Default;
        var written = new List<ExampleImage>();
        foreach (var image in chosen)
        {
            using var bitmap = SKBitmap.Decode(image.Path)
                ?? throw new RfcnPerfException($"cannot decode {image.Path} to draw the examples");
            var w = bitmap.Width;
            var h = bitmap.Height;
            using var surface = SKSurface.Create(new SKImageInfo((runs.Count * w) + ((runs.Count - 1) * Gap), TitleHeight + h));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            var counts = new List<int>();
            using var font = new SKFont(typeface, 20);
            using var titlePaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (var r = 0; r < runs.Count; r++)
            {
                var dets = perRun[r].TryGetValue(image.ImageId, out var list) ? list : [];
                var shown = dets.Count(d => d.Score >= MinScore);
                counts.Add(shown);
                var x = r * (w + Gap);
                var title = string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label} ({runs[r].Run.Model.Precision}): {shown} detections \u2265 {MinScore:0.0}");
                DrawFitted(canvas, title, x + 8, 30, w - 16, font, titlePaint);
                canvas.Save();
                canvas.Translate(x, TitleHeight);
                canvas.ClipRect(new SKRect(0, 0, w, h));
                canvas.DrawBitmap(bitmap, 0, 0);
                DetectionVisualizer.DrawOnto(canvas, new ImageDetections(image, w, h, dets), categories, MinScore, w);
                canvas.Restore();
            }

            var name = Path.GetFileNameWithoutExtension(image.Path) + ".png";
            using (var snapshot = surface.Snapshot())
            using (var data = snapshot.Encode(SKEncodedImageFormat.Png, 100))
            using (var stream = File.Create(Path.Combine(examplesDir, name)))
            {
                data.SaveTo(stream);
            }

            written.Add(new ExampleImage(image.ImageId, Path.GetFileName(image.Path), "examples/" + name, counts));
        }

        return written;
    }

    /// <summary><paramref name="count"/> images spread evenly over the list (the first one included).</summary>
    internal static IReadOnlyList<ImageRef> Spread(IReadOnlyList<ImageRef> images, int count)
    {
        count = Math.Min(count, images.Count);
        return count <= 0 ? [] : Enumerable.Range(0, count).Select(i => images[(int)((long)i * images.Count / count)]).ToArray();
    }

    private static Dictionary<long, List<Detection>> DetectionsOf(string resultsPath, CocoGroundTruth gt, HashSet<long> ids)
    {
        var results = CocoResults.Load(resultsPath, gt);
        var map = new Dictionary<long, List<Detection>>();
        for (var i = 0; i < results.Count; i++)
        {
            var d = results[i];
            if (!ids.Contains(d.ImageId))
            {
                continue;
            }

            if (!map.TryGetValue(d.ImageId, out var list))
            {
                map[d.ImageId] = list = [];
            }

            list.Add(new Detection((int)d.CategoryId, (float)d.Score, (float)d.X, (float)d.Y, (float)d.Width, (float)d.Height));
        }

        return map;
    }

    private static void DrawFitted(SKCanvas canvas, string text, float x, float y, float maxWidth, SKFont font, SKPaint paint)
    {
        var size = font.Size;
        while (font.MeasureText(text) > maxWidth && font.Size > 10)
        {
            font.Size -= 1;
        }

        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
        font.Size = size;
    }
}
