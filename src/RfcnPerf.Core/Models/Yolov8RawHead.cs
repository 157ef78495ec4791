using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Models;

/// <summary>
/// A yolov8 graph cut at its raw head (<see cref="Yolov8TailCut"/>): the one output [N, 4 x R + C, A] holds per
/// anchor 4 x R DFL logits and C class logits, laid out as the model's metadata declares
/// (<see cref="RawHeadLayout"/>). Post-processing does what the removed tail did, only where it matters: class
/// logits are compared with logit(threshold) and only the survivors get their sigmoid; the DFL distribution
/// (softmax over R bins per side, expectation) and the anchor/stride box are decoded once per anchor, only for
/// anchors with a class above the threshold. Candidate rule and NMS: <see cref="Yolov8HeadBase"/>.
/// </summary>
public sealed class Yolov8RawHead : Yolov8HeadBase
{
    /// <summary>Logit units below logit(threshold) still tested exactly, so float rounding of the sigmoid near the threshold loses no candidate.</summary>
    private const double LogitMargin = 1e-3;

    private readonly int regMax;
    private readonly float[] anchorX;
    private readonly float[] anchorY;
    private readonly float[] strides;
    private readonly float[] boxes;
    private readonly int[] decodedIn;
    private int image;

    /// <summary>Creates a head for an input of <paramref name="width"/> x <paramref name="height"/> and a raw head <paramref name="layout"/>.</summary>
    public Yolov8RawHead(int width, int height, RawHeadLayout layout)
        : base(width, height, layout.Classes)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        regMax = layout.RegMax;
        var a = layout.Anchors;
        anchorX = new float[a];
        anchorY = new float[a];
        strides = new float[a];
        var k = 0;
        foreach (var level in layout.Levels)
        {
            for (var i = 0; i < level.Anchors; i++, k++)
            {
                anchorX[k] = (float)((i % level.GridWidth) + layout.AnchorOffset);
                anchorY[k] = (float)((i / level.GridWidth) + layout.AnchorOffset);
                strides[k] = level.Stride;
            }
        }

        boxes = new float[4 * a];
        decodedIn = new int[a];
    }

    /// <summary>The raw head's layout, from the model's metadata.</summary>
    public RawHeadLayout Layout { get; }

    /// <inheritdoc />
    private protected override int FirstClassRow => 4 * regMax;

    /// <summary>
    /// Builds a head when the model's metadata declares a yolov8 raw head and its one output has the declared
    /// shape [N, 4 x R + C, A]; else null. Malformed metadata is refused (<see cref="RfcnPerfException"/>).
    /// </summary>
    public static Yolov8RawHead? TryCreate(ModelSignature signature)
    {
        RawHeadLayout? layout;
        try
        {
            layout = RawHeadLayout.FromMetadata(signature.Metadata, "model");
        }
        catch (OnnxModelException ex)
        {
            throw new RfcnPerfException(ex.Message, ex);
        }

        if (layout is null || signature.Inputs.Count != 1 || signature.Outputs.Count != 1
            || !SignatureRules.IsImageNchwFloat(signature.Inputs[0], out var w, out var h))
        {
            return null;
        }

        var output = signature.Outputs[0];
        return output.BaseName == layout.Output && output.ElementType == "float" && output.Rank == 3
               && output.Dims[1] == layout.Channels && output.Dims[2] == layout.Anchors
               && layout.Levels.All(l => (long)l.GridWidth * l.Stride == w && (long)l.GridHeight * l.Stride == h)
            ? new Yolov8RawHead(w, h, layout)
            : null;
    }

    /// <summary>The logit of <paramref name="scoreThreshold"/> minus <see cref="LogitMargin"/> (-inf at 0, +inf at 1 and above).</summary>
    private protected override float RowThreshold(float scoreThreshold) => scoreThreshold switch
    {
        <= 0 => float.NegativeInfinity,
        >= 1 => float.PositiveInfinity,
        _ => (float)(Math.Log(scoreThreshold / (1.0 - scoreThreshold)) - LogitMargin),
    };

    /// <inheritdoc />
    private protected override float Score(float value) => 1f / (1f + MathF.Exp(-value));

    /// <inheritdoc />
    private protected override void BeginImage(int anchors)
    {
        if (anchors != decodedIn.Length)
        {
            throw new RfcnPerfException($"the raw head output has {anchors} anchors but its metadata declares {decodedIn.Length}");
        }

        // A new stamp marks every cached box stale without clearing the array.
        if (++image == int.MaxValue)
        {
            Array.Clear(decodedIn);
            image = 1;
        }
    }

    /// <inheritdoc />
    private protected override Candidate Box(ReadOnlySpan<float> data, int anchors, int anchor)
    {
        var box = boxes.AsSpan(4 * anchor, 4);
        if (decodedIn[anchor] != image)
        {
            Decode(data, anchors, anchor, box);
            decodedIn[anchor] = image;
        }

        return new Candidate(box[0], box[1], box[2], box[3], 0, 0);
    }

    /// <summary>
    /// The removed tail's arithmetic for one anchor, in its order: distances l, t, r, b = DFL expectations (in
    /// cells); corners = anchor point -/+ distances; centre = (x1 + x2) / 2 and size = x2 - x1, times the stride;
    /// then corners again as <see cref="Yolov8Head"/> forms them from (cx, cy, w, h).
    /// </summary>
    private void Decode(ReadOnlySpan<float> data, int anchors, int anchor, Span<float> box)
    {
        Span<float> bins = stackalloc float[regMax];
        Span<float> distance = stackalloc float[4];
        for (var side = 0; side < 4; side++)
        {
            for (var b = 0; b < regMax; b++)
            {
                bins[b] = data[(((side * regMax) + b) * anchors) + anchor];
            }

            distance[side] = DistributionFocal.Expectation(bins);
        }

        float ax = anchorX[anchor], ay = anchorY[anchor], s = strides[anchor];
        float x1 = ax - distance[0], y1 = ay - distance[1], x2 = ax + distance[2], y2 = ay + distance[3];
        var cx = (x1 + x2) / 2 * s;
        var cy = (y1 + y2) / 2 * s;
        var hw = (x2 - x1) * s * 0.5f;
        var hh = (y2 - y1) * s * 0.5f;
        box[0] = cx - hw;
        box[1] = cy - hh;
        box[2] = cx + hw;
        box[3] = cy + hh;
    }
}
