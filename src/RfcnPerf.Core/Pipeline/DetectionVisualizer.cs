using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using SkiaSharp;

namespace RfcnPerf.Core.Pipeline;

/// <summary>Draws detections (box, class name, score) onto a copy of an image and saves it as PNG.</summary>
public static class DetectionVisualizer
{
    /// <summary>
    /// Decodes <paramref name="image"/>'s file again, draws its detections with score at least
    /// <paramref name="minScore"/>, and writes <c>DIR/&lt;file name&gt;.png</c>. Returns the written path.
    /// </summary>
    public static string Draw(ImageDetections image, CategoryMap categories, string outputDir, float minScore = 0.3f)
    {
        Directory.CreateDirectory(outputDir);
        using var decoded = ImageDecoder.Decode(image.Image.Path);
        using var canvas = new SKCanvas(decoded.Bitmap);
        DrawOnto(canvas, image, categories, minScore, decoded.Width);
        var output = Path.Combine(outputDir, Path.GetFileNameWithoutExtension(image.Image.Path) + ".png");
        using var data = decoded.Bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(output);
        data.SaveTo(file);
        return output;
    }

    /// <summary>Draws the detections onto a canvas whose origin is the image's top-left corner.</summary>
    /// <param name="canvas">The canvas.</param>
    /// <param name="image">The detections.</param>
    /// <param name="categories">Class names.</param>
    /// <param name="minScore">Detections scoring below this are not drawn.</param>
    /// <param name="imageWidth">The image's width in pixels (line width and font size scale with it).</param>
    /// <param name="showScores">Label each box with its score after the class name (false for ground truth).</param>
    public static void DrawOnto(SKCanvas canvas, ImageDetections image, CategoryMap categories, float minScore, int imageWidth, bool showScores = true)
    {
        var stroke = Math.Max(2f, imageWidth / 320f);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, Math.Max(12f, imageWidth / 45f));
        using var boxPaint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
        using var fillPaint = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        using var textPaint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        foreach (var d in image.Detections.Where(d => d.Score >= minScore).OrderBy(d => d.Score))
        {
            var color = ColorFor(d.CategoryId);
            boxPaint.Color = color;
            fillPaint.Color = color.WithAlpha(210);
            canvas.DrawRect(d.X, d.Y, d.Width, d.Height, boxPaint);
            var label = showScores ? $"{categories.NameOf(d.CategoryId)} {d.Score:0.00}" : categories.NameOf(d.CategoryId);
            var textWidth = font.MeasureText(label);
            var textHeight = font.Size * 1.2f;
            var top = d.Y - textHeight < 0 ? d.Y : d.Y - textHeight;
            canvas.DrawRect(d.X, top, textWidth + 6, textHeight, fillPaint);
            canvas.DrawText(label, d.X + 3, top + font.Size, SKTextAlign.Left, font, textPaint);
        }
    }

    /// <summary>A stable, well-separated colour per category id (golden-angle hue steps).</summary>
    public static SKColor ColorFor(int categoryId) =>
        SKColor.FromHsv((categoryId * 137.508f) % 360f, 85f, 90f);
}
