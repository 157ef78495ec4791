using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// Ultralytics YOLOv8 as exported (docs/MODELS.md §2): output [N, 4+C, A] with rows cx, cy, w, h (input
/// pixels) then C sigmoided class scores. Candidate rule, NMS and pre-processing: <see cref="Yolov8HeadBase"/>.
/// </summary>
public sealed class Yolov8Head : Yolov8HeadBase
{
    /// <summary>Creates a head for an input of <paramref name="width"/> x <paramref name="height"/> and C classes.</summary>
    public Yolov8Head(int width, int height, int classCount)
        : base(width, height, classCount)
    {
    }

    /// <inheritdoc />
    private protected override int FirstClassRow => 4;

    /// <summary>
    /// Builds a head when the signature fits, else null. A model whose metadata declares a raw head (a cut
    /// decoding tail) never fits here, whatever its shape: [N,144,A] is not 140 decoded classes.
    /// </summary>
    public static Yolov8Head? TryCreate(ModelSignature signature)
    {
        if (signature.Metadata.ContainsKey(RfcnPerf.Onnx.RawHeadLayout.KindKey)
            || signature.Inputs.Count != 1 || signature.Outputs.Count != 1
            || !SignatureRules.IsImageNchwFloat(signature.Inputs[0], out var w, out var h))
        {
            return null;
        }

        var output = signature.Outputs[0];
        if (output.ElementType != "float" || output.Rank != 3 || output.Dims[1] <= 4 || output.Dims[2] <= 0)
        {
            return null;
        }

        return new Yolov8Head(w, h, (int)output.Dims[1] - 4);
    }

    /// <inheritdoc />
    private protected override float RowThreshold(float scoreThreshold) => scoreThreshold;

    /// <inheritdoc />
    private protected override float Score(float value) => value;

    /// <inheritdoc />
    private protected override Candidate Box(ReadOnlySpan<float> data, int anchors, int anchor)
    {
        var cx = data[anchor];
        var cy = data[anchors + anchor];
        var hw = data[(2 * anchors) + anchor] * 0.5f;
        var hh = data[(3 * anchors) + anchor] * 0.5f;
        return new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, 0, 0);
    }
}
