using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// Ultralytics YOLOv8 (docs/MODELS.md §2): RGB /255, centred letterbox padded with 114; output [N, 4+C, A]
/// with rows cx, cy, w, h (input pixels) then C sigmoided class scores; every (anchor, class) pair above the
/// threshold is a candidate (Ultralytics' multi-label validation), then class-wise NMS.
/// </summary>
public sealed class Yolov8Head : FamilyHead
{
    private readonly Nms nms;

    /// <summary>Creates a head for an input of <paramref name="width"/> x <paramref name="height"/> and C classes.</summary>
    public Yolov8Head(int width, int height, int classCount)
    {
        ClassCount = classCount;
        Preprocess = new PreprocessSpec(width, height, TensorLayout.NchwFloat, ResizeMode.LetterboxCentered, Bgr: false,
            Mean: [0f, 0f, 0f], Std: [255f, 255f, 255f], PadValue: 114);
        nms = new Nms(classCount);
    }

    /// <summary>Number of classes (output rows minus 4).</summary>
    public int ClassCount { get; }

    /// <inheritdoc />
    public override ModelFamily Family => ModelFamily.Yolov8;

    /// <inheritdoc />
    public override PreprocessSpec Preprocess { get; }

    /// <inheritdoc />
    /// <remarks>The DFL Softmax/Conv, box arithmetic and score Sigmoid after the raw [N, 64+C, A] head.</remarks>
    public override RfcnPerf.Onnx.Quantization.HeadTail QuantizationTail => RfcnPerf.Onnx.Quantization.HeadTail.RawHeadBeforeDfl;

    /// <inheritdoc />
    public override PostprocessOptions DefaultPostprocess => PostprocessOptions.Yolov8Eval;

    /// <summary>What this family expects, for error messages.</summary>
    public const string Expected = "yolov8: one float input [N,3,H,W] and one float output [N,4+C,A]";

    /// <summary>Builds a head when the signature fits, else null.</summary>
    public static Yolov8Head? TryCreate(ModelSignature signature)
    {
        if (signature.Inputs.Count != 1 || signature.Outputs.Count != 1
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
    public override void Decode(ModelOutputs outputs, int batchIndex, LetterboxGeometry geometry, PostprocessOptions options, CategoryMap categories, List<Detection> into)
    {
        var data = outputs.ForImage(0, batchIndex);
        var anchors = (int)outputs.Shape(0)[2];
        var threshold = options.ScoreThreshold;
        var count = 0;

        // Class-major loops read the [4+C, A] rows contiguously.
        for (var c = 0; c < ClassCount; c++)
        {
            var row = data.Slice((4 + c) * anchors, anchors);
            for (var a = 0; a < row.Length; a++)
            {
                var score = row[a];
                if (score > threshold)
                {
                    var cx = data[a];
                    var cy = data[anchors + a];
                    var hw = data[(2 * anchors) + a] * 0.5f;
                    var hh = data[(3 * anchors) + a] * 0.5f;
                    Add(ref count, new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, score, c));
                }
            }
        }

        var kept = nms.Run(candidates.AsSpan(0, count), options.IouThreshold, options.MaxDetections, options.MaxCandidates);
        Emit(candidates.AsSpan(0, kept), geometry, categories, into);
    }
}
