using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Serving;

/// <summary>
/// Detections of a batch in the TF Object Detection API's output signature (the recipe's R-FCN model):
/// <c>detection_boxes</c> [N, M, 4] normalised (ymin, xmin, ymax, xmax), <c>detection_scores</c> [N, M],
/// <c>detection_classes</c> [N, M] COCO category ids as floats, <c>num_detections</c> [N]. M is the largest
/// count in the batch; shorter rows are zero-padded as the TF OD API pads to its maximum.
/// </summary>
internal sealed class DetectionTensors
{
    public const string Boxes = "detection_boxes";
    public const string Classes = "detection_classes";
    public const string Scores = "detection_scores";
    public const string Count = "num_detections";

    /// <summary>Output names in the order metadata and responses list them.</summary>
    public static readonly string[] OutputNames = [Boxes, Classes, Scores, Count];

    private DetectionTensors(int images, int max)
    {
        Images = images;
        Max = max;
        BoxData = new float[images * max * 4];
        ScoreData = new float[images * max];
        ClassData = new float[images * max];
        CountData = new float[images];
    }

    public int Images { get; }

    /// <summary>Detections per image after padding (M).</summary>
    public int Max { get; }

    public float[] BoxData { get; }

    public float[] ScoreData { get; }

    public float[] ClassData { get; }

    public float[] CountData { get; }

    /// <summary>Packs per-image detections (COCO pixel boxes) given each image's width and height.</summary>
    public static DetectionTensors From(IReadOnlyList<Detection[]> detections, IReadOnlyList<(int Width, int Height)> sizes)
    {
        var max = detections.Count == 0 ? 0 : detections.Max(d => d.Length);
        var t = new DetectionTensors(detections.Count, max);
        for (var i = 0; i < detections.Count; i++)
        {
            var (w, h) = sizes[i];
            var row = detections[i];
            t.CountData[i] = row.Length;
            for (var j = 0; j < row.Length; j++)
            {
                var d = row[j];
                var k = (i * max) + j;
                t.BoxData[(k * 4) + 0] = d.Y / h;
                t.BoxData[(k * 4) + 1] = d.X / w;
                t.BoxData[(k * 4) + 2] = (d.Y + d.Height) / h;
                t.BoxData[(k * 4) + 3] = (d.X + d.Width) / w;
                t.ScoreData[k] = d.Score;
                t.ClassData[k] = d.CategoryId;
            }
        }

        return t;
    }

    /// <summary>
    /// Image <paramref name="image"/>'s detections back in COCO pixel boxes (x, y, width, height) of an image
    /// <paramref name="width"/> x <paramref name="height"/>: the inverse of <see cref="From"/>, as a client of the
    /// served signature reads it (the normalised float boxes round-trip to within float rounding, not bit for bit).
    /// </summary>
    public Detection[] Row(int image, int width, int height)
    {
        var count = (int)CountData[image];
        var row = new Detection[count];
        for (var j = 0; j < count; j++)
        {
            var k = (image * Max) + j;
            float ymin = BoxData[k * 4], xmin = BoxData[(k * 4) + 1], ymax = BoxData[(k * 4) + 2], xmax = BoxData[(k * 4) + 3];
            row[j] = new Detection((int)ClassData[k], ScoreData[k], xmin * width, ymin * height, (xmax - xmin) * width, (ymax - ymin) * height);
        }

        return row;
    }

    /// <summary>The data and shape of output <paramref name="name"/>.</summary>
    public (float[] Data, long[] Shape) Output(string name) => name switch
    {
        Boxes => (BoxData, [Images, Max, 4]),
        Classes => (ClassData, [Images, Max]),
        Scores => (ScoreData, [Images, Max]),
        Count => (CountData, [Images]),
        _ => throw ServingException.Invalid($"unknown output '{name}'; the signature's outputs are {string.Join(", ", OutputNames)}"),
    };
}
