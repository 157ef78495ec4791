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
        : this(images, max, new float[images * max * 4], new float[images * max], new float[images * max], new float[images])
    {
    }

    private DetectionTensors(int images, int max, float[] boxes, float[] scores, float[] classes, float[] counts)
    {
        Images = images;
        Max = max;
        BoxData = boxes;
        ScoreData = scores;
        ClassData = classes;
        CountData = counts;
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
    /// The tensors as a client reads them back from a response (<see cref="Load.LoadResponseReader"/>): flat data of
    /// <paramref name="images"/> x <paramref name="max"/> detections in the served shapes. Lengths that do not fit
    /// those shapes, or a <c>num_detections</c> that is not a whole number from 0 to <paramref name="max"/>, are
    /// refused with <paramref name="source"/> named, so a malformed response cannot be read as fewer detections.
    /// </summary>
    public static DetectionTensors FromOutputs(int images, int max, float[] boxes, float[] classes, float[] scores, float[] counts, string source)
    {
        void Expect(string name, long length, long expected, string shape)
        {
            if (length != expected)
            {
                throw new Core.RfcnPerfException($"{source}: '{name}' has {length} values but {shape} needs {expected}");
            }
        }

        var shape = $"{images} image(s) x {max} detections";
        Expect(Count, counts.Length, images, $"{images} image(s)");
        Expect(Classes, classes.Length, (long)images * max, shape);
        Expect(Scores, scores.Length, (long)images * max, shape);
        Expect(Boxes, boxes.Length, (long)images * max * 4, shape + " x 4");
        for (var i = 0; i < images; i++)
        {
            var n = counts[i];
            if (!(n >= 0 && n <= max && n == MathF.Floor(n)))
            {
                throw new Core.RfcnPerfException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{source}: '{Count}'[{i}] is {n}; expected a whole number from 0 to the {max} detections sent"));
            }
        }

        return new DetectionTensors(images, max, boxes, scores, classes, counts);
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
