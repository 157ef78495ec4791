using System.Globalization;
using RfcnPerf.Coco;
using RfcnPerf.Coco.Analysis;
using RfcnPerf.Core;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using SkiaSharp;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The report's example images. With compared pairs: the images where the pairs disagree most, one PNG per image with
/// one row per pair (ground truth | baseline | candidate), the baseline's lost boxes outlined in red, the candidate's
/// gained boxes in blue and relabelled boxes in orange on both. Without pairs: images spread evenly over the processed
/// list (not chosen by outcome), one panel per model. Panels are scaled to at most <see cref="PanelWidth"/> pixels wide
/// so a row fits a screen.
/// </summary>
internal static class SideBySideVisualizer
{
    /// <summary>Detections below this score are not drawn in the spread examples (the same default as <c>detect --visualize</c>).</summary>
    public const float MinScore = 0.3f;

    /// <summary>Widest panel drawn, in pixels (COCO images are 640 wide: three fit 1,750 pixels).</summary>
    public const int PanelWidth = 560;

    private const int TitleHeight = 36;
    private const int Gap = 12;

    private static readonly SKColor LostColor = SKColor.Parse("#e3001b");
    private static readonly SKColor GainedColor = SKColor.Parse("#0062ff");
    private static readonly SKColor RelabelledColor = SKColor.Parse("#ff9f1c");

    /// <summary>Images spread over the list, one panel per run.</summary>
    public static IReadOnlyList<ExampleImage> Write(
        string examplesDir,
        CategoryMap categories,
        IReadOnlyList<ImageRef> images,
        IReadOnlyList<LabeledRun> runs,
        IReadOnlyList<CocoResults> results,
        int count)
    {
        var chosen = Spread(images, count);
        if (chosen.Count == 0 || runs.Count == 0)
        {
            return [];
        }

        var ids = chosen.Select(i => i.ImageId).ToHashSet();
        var perRun = results.Select(r => DetectionsOf(r, ids)).ToArray();
        var written = new List<ExampleImage>();
        foreach (var image in chosen)
        {
            var counts = new List<int>();
            var panels = new List<Panel>();
            for (var r = 0; r < runs.Count; r++)
            {
                var dets = perRun[r].TryGetValue(image.ImageId, out var list) ? list : [];
                var shown = dets.Where(d => d.Score >= MinScore).ToArray();
                counts.Add(shown.Length);
                panels.Add(new Panel(
                    string.Create(CultureInfo.InvariantCulture, $"{runs[r].Label} ({runs[r].Run.Model.PrecisionLabel}): {shown.Length} boxes \u2265 {MinScore:0.0}"),
                    shown, [], ShowScores: true));
            }

            var path = Render(examplesDir, image, [panels], categories);
            written.Add(new ExampleImage(image.ImageId, Path.GetFileName(image.Path), "examples/" + Path.GetFileName(path), counts));
        }

        return written;
    }

    /// <summary>The <paramref name="count"/> images where the pairs disagree most (summed over pairs), one row per pair.</summary>
    public static IReadOnlyList<ExampleImage> WriteDisagreements(
        string examplesDir,
        CocoGroundTruth gt,
        CategoryMap categories,
        IReadOnlyList<ImageRef> images,
        ReportDiagnostics diagnostics,
        int count)
    {
        var pairs = diagnostics.Pairs;
        var byId = images.ToDictionary(i => i.ImageId);
        var score = new Dictionary<long, (int Changed, int Moved, int Order)>();
        foreach (var p in pairs)
        {
            var rows = p.Agreement.PerImage;
            for (int i = 0; i < rows.Count; i++)
            {
                var c = rows[i].Counts;
                var s = score.TryGetValue(rows[i].ImageId, out var had) ? had : (Changed: 0, Moved: 0, Order: int.MaxValue);
                score[rows[i].ImageId] = (s.Changed + c.Lost + c.Gained + c.Relabelled, s.Moved + c.Moved, Math.Min(s.Order, i));
            }
        }

        var chosen = score.Where(kv => kv.Value.Changed + kv.Value.Moved > 0 && byId.ContainsKey(kv.Key))
            .OrderByDescending(kv => kv.Value.Changed).ThenByDescending(kv => kv.Value.Moved).ThenBy(kv => kv.Value.Order)
            .Take(count).Select(kv => byId[kv.Key]).ToArray();
        if (chosen.Length == 0)
        {
            return [];
        }

        var ids = chosen.Select(i => i.ImageId).ToHashSet();
        var labels = diagnostics.Runs.Select(r => r.Label).ToList();
        var truths = GroundTruthOf(gt, ids);
        var written = new List<ExampleImage>();
        foreach (var image in chosen)
        {
            var rows = new List<IReadOnlyList<Panel>>();
            var pairCounts = new List<AgreementCounts>();
            foreach (var p in pairs)
            {
                var a = p.Agreement;
                var b = diagnostics.Results[labels.IndexOf(p.Baseline)];
                var c = diagnostics.Results[labels.IndexOf(p.Candidate)];
                var (bShown, bMarks) = Compared(b, a.BaselineOutcomes, image.ImageId);
                var (cShown, cMarks) = Compared(c, a.CandidateOutcomes, image.ImageId);
                var counts = a.PerImage.FirstOrDefault(r => r.ImageId == image.ImageId)?.Counts ?? new AgreementCounts(0, 0, 0, 0, 0);
                pairCounts.Add(counts);
                var gtList = truths.GetValueOrDefault(image.ImageId) ?? [];
                rows.Add(
                [
                    new Panel(string.Create(CultureInfo.InvariantCulture, $"ground truth: {gtList.Count} objects"), gtList, [], ShowScores: false),
                    new Panel(string.Create(CultureInfo.InvariantCulture, $"{p.Baseline}: {bShown.Count} boxes \u2265 {a.ScoreThreshold:0.00}, {counts.Lost} lost (red)"), bShown, bMarks, ShowScores: true),
                    new Panel(string.Create(CultureInfo.InvariantCulture, $"{p.Candidate}: {cShown.Count} boxes, {counts.Gained} gained (blue), {counts.Relabelled} relabelled (orange)"), cShown, cMarks, ShowScores: true),
                ]);
            }

            var path = Render(examplesDir, image, rows, categories);
            written.Add(new ExampleImage(image.ImageId, Path.GetFileName(image.Path), "examples/" + Path.GetFileName(path), [])
            {
                PairCounts = pairCounts,
            });
        }

        return written;
    }

    /// <summary><paramref name="count"/> images spread evenly over the list (the first one included).</summary>
    internal static IReadOnlyList<ImageRef> Spread(IReadOnlyList<ImageRef> images, int count)
    {
        count = Math.Min(count, images.Count);
        return count <= 0 ? [] : Enumerable.Range(0, count).Select(i => images[(int)((long)i * images.Count / count)]).ToArray();
    }

    // The compared boxes of one image (outcome other than below threshold) and the ones to outline.
    private static (List<Detection> Shown, List<(Detection Box, SKColor Color)> Marks) Compared(CocoResults results, IReadOnlyList<AgreementOutcome> outcomes, long imageId)
    {
        var shown = new List<Detection>();
        var marks = new List<(Detection, SKColor)>();
        for (int i = 0; i < results.Count; i++)
        {
            var d = results[i];
            if (d.ImageId != imageId || outcomes[i] == AgreementOutcome.BelowThreshold)
            {
                continue;
            }

            var det = ToDetection(d);
            shown.Add(det);
            switch (outcomes[i])
            {
                case AgreementOutcome.Lost:
                    marks.Add((det, LostColor));
                    break;
                case AgreementOutcome.Gained:
                    marks.Add((det, GainedColor));
                    break;
                case AgreementOutcome.Relabelled:
                    marks.Add((det, RelabelledColor));
                    break;
            }
        }

        return (shown, marks);
    }

    // Draws the rows of panels (each a copy of the image, scaled to fit PanelWidth) and writes examples/<file>.png.
    private static string Render(string examplesDir, ImageRef image, IReadOnlyList<IReadOnlyList<Panel>> rows, CategoryMap categories)
    {
        Directory.CreateDirectory(examplesDir);
        using var bitmap = SKBitmap.Decode(image.Path)
            ?? throw new RfcnPerfException($"cannot decode {image.Path} to draw the examples");
        int w = bitmap.Width;
        int h = bitmap.Height;
        float scale = Math.Min(1f, PanelWidth / (float)w);
        int pw = (int)Math.Round(w * scale);
        int ph = (int)Math.Round(h * scale);
        int columns = rows.Max(r => r.Count);
        using var surface = SKSurface.Create(new SKImageInfo((columns * pw) + ((columns - 1) * Gap), rows.Count * (TitleHeight + ph + Gap)));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        _ = ChartFonts.Family;
        using var ownTypeface = ChartFonts.RegularFile is { } file ? SKTypeface.FromFile(file) : null;
        using var font = new SKFont(ownTypeface ?? SKTypeface.Default, 17);
        using var titlePaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var markPaint = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = true, PathEffect = SKPathEffect.CreateDash([12, 6], 0) };
        for (int row = 0; row < rows.Count; row++)
        {
            for (int col = 0; col < rows[row].Count; col++)
            {
                var panel = rows[row][col];
                float x = col * (pw + Gap);
                float y = row * (TitleHeight + ph + Gap);
                DrawFitted(canvas, panel.Title, x + 4, y + 25, pw - 8, font, titlePaint);
                canvas.Save();
                canvas.Translate(x, y + TitleHeight);
                canvas.ClipRect(new SKRect(0, 0, pw, ph));
                canvas.Scale(scale);
                canvas.DrawBitmap(bitmap, 0, 0);
                DetectionVisualizer.DrawOnto(canvas, new ImageDetections(image, w, h, panel.Boxes), categories, float.MinValue, w, panel.ShowScores);

                // Outlines a little outside the box, dashed and thick, so they read over the box's own colour.
                markPaint.StrokeWidth = Math.Max(4f, w / 110f);
                float pad = markPaint.StrokeWidth;
                foreach (var (box, color) in panel.Marks)
                {
                    markPaint.Color = color;
                    canvas.DrawRect(box.X - pad, box.Y - pad, box.Width + (2 * pad), box.Height + (2 * pad), markPaint);
                }

                canvas.Restore();
            }
        }

        var name = Path.GetFileNameWithoutExtension(image.Path) + ".png";
        var path = Path.Combine(examplesDir, name);
        using (var snapshot = surface.Snapshot())
        using (var data = snapshot.Encode(SKEncodedImageFormat.Png, 100))
        using (var stream = File.Create(path))
        {
            data.SaveTo(stream);
        }

        return path;
    }

    private static Dictionary<long, List<Detection>> DetectionsOf(CocoResults results, HashSet<long> ids)
    {
        var map = new Dictionary<long, List<Detection>>();
        for (var i = 0; i < results.Count; i++)
        {
            var d = results[i];
            if (ids.Contains(d.ImageId))
            {
                Add(map, d.ImageId, ToDetection(d));
            }
        }

        return map;
    }

    // Non-crowd ground truths as boxes (score 1, drawn without a score).
    private static Dictionary<long, List<Detection>> GroundTruthOf(CocoGroundTruth gt, HashSet<long> ids)
    {
        var map = new Dictionary<long, List<Detection>>();
        for (int i = 0; i < gt.AnnotationCount; i++)
        {
            var a = gt.GetAnnotation(i);
            if (!a.IsCrowd && ids.Contains(a.ImageId))
            {
                Add(map, a.ImageId, new Detection((int)a.CategoryId, 1f, (float)a.X, (float)a.Y, (float)a.Width, (float)a.Height));
            }
        }

        return map;
    }

    private static void Add(Dictionary<long, List<Detection>> map, long imageId, Detection d)
    {
        if (!map.TryGetValue(imageId, out var list))
        {
            map[imageId] = list = [];
        }

        list.Add(d);
    }

    private static Detection ToDetection(CocoDetection d) =>
        new((int)d.CategoryId, (float)d.Score, (float)d.X, (float)d.Y, (float)d.Width, (float)d.Height);

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

    /// <summary>One panel: a title, the boxes drawn in class colours, and the boxes outlined in a marker colour.</summary>
    private sealed record Panel(string Title, IReadOnlyList<Detection> Boxes, IReadOnlyList<(Detection Box, SKColor Color)> Marks, bool ShowScores);
}
