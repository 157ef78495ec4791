using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Runs a pipeline on a COCO image and matches its person detections to the large GT persons.</summary>
internal static class PersonCheck
{
    /// <summary>A confident detection, well above both families' evaluation thresholds.</summary>
    public const float MinScore = 0.3f;

    /// <summary>The usual "correct detection" overlap (PASCAL VOC / COCO AP50).</summary>
    public const double MinIou = 0.5;

    /// <summary>GT persons this large (COCO area, px²) are clearly visible and must be found.</summary>
    public const double LargeArea = 5000;

    /// <summary>
    /// Detects on image <paramref name="imageId"/> and matches person detections (category 1, score &gt;
    /// <see cref="MinScore"/>) one-to-one, greedily in score order as COCO's evaluation does, to the non-crowd
    /// GT persons of area &gt; <see cref="LargeArea"/> with IoU &gt; <see cref="MinIou"/>.
    /// </summary>
    public static Result Match(DetectionPipeline pipeline, long imageId)
    {
        var (width, height, fileName) = CocoTruth.Image(imageId);
        using var image = ImageDecoder.Decode(Path.Combine(TestPaths.CocoImages, fileName));
        Assert.Equal((width, height), (image.Width, image.Height));

        var (detections, _) = pipeline.Detect([image]);

        var persons = detections[0].Where(d => d.CategoryId == 1 && d.Score > MinScore).OrderByDescending(d => d.Score).ToList();
        var truth = CocoTruth.Boxes(imageId).Where(b => b.CategoryId == 1 && !b.IsCrowd && b.Area > LargeArea).ToList();
        var matched = new bool[truth.Count];
        var pairs = new List<(Detection Detection, CocoTruth.GtBox Truth)>();
        foreach (var d in persons)
        {
            var best = -1;
            var bestIou = MinIou;
            for (var g = 0; g < truth.Count; g++)
            {
                var iou = BoxMath.Iou(d.X, d.Y, d.Width, d.Height, truth[g].X, truth[g].Y, truth[g].Width, truth[g].Height);
                if (!matched[g] && iou > bestIou)
                {
                    (best, bestIou) = (g, iou);
                }
            }

            if (best >= 0)
            {
                matched[best] = true;
                pairs.Add((d, truth[best]));
            }
        }

        var description = $"image {imageId}: matched {pairs.Count} of {truth.Count} large persons; person detections above {MinScore}: " +
            string.Join("; ", persons.Select(p => $"[{p.X:0},{p.Y:0},{p.Width:0},{p.Height:0}] {p.Score:0.00}")) +
            $"; {detections[0].Count} detections in all (best: {string.Join(", ", detections[0].Take(5).Select(d => $"id {d.CategoryId} @ {d.Score:0.00}"))})";
        return new Result(truth, pairs, description);
    }

    internal sealed record Result(
        IReadOnlyList<CocoTruth.GtBox> Truth,
        IReadOnlyList<(Detection Detection, CocoTruth.GtBox Truth)> Pairs,
        string Description);
}
