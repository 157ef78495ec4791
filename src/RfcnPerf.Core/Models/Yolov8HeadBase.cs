using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// What every yolov8 head shares, whether the graph decodes its boxes (<see cref="Yolov8Head"/>) or was cut at
/// its raw head (<see cref="Yolov8RawHead"/>): RGB /255 centred letterbox padded with 114, the FP32 tail rule,
/// Ultralytics' evaluation thresholds, and the candidate rule: every (anchor, class) pair whose score is above
/// the threshold is a candidate (Ultralytics' multi-label validation), collected class-major so both heads
/// hand class-wise NMS the same candidates in the same order.
/// </summary>
public abstract class Yolov8HeadBase : FamilyHead
{
    private readonly Nms nms;

    /// <summary>Creates the shared part for an input of <paramref name="width"/> x <paramref name="height"/> and C classes.</summary>
    private protected Yolov8HeadBase(int width, int height, int classCount)
    {
        ClassCount = classCount;
        Preprocess = new PreprocessSpec(width, height, TensorLayout.NchwFloat, ResizeMode.LetterboxCentered, Bgr: false,
            Mean: [0f, 0f, 0f], Std: [255f, 255f, 255f], PadValue: 114);
        nms = new Nms(classCount);
    }

    /// <summary>What this family expects, for error messages.</summary>
    public const string Expected =
        "yolov8: one float input [N,3,H,W] and one float output [N,4+C,A], or a cut decoding tail (metadata rfcnperf.head=yolov8-dfl-raw) with the raw head [N,4x16+C,A] as its one output";

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <inheritdoc />
    public override ModelFamily Family => ModelFamily.Yolov8;

    /// <inheritdoc />
    public override PreprocessSpec Preprocess { get; }

    /// <inheritdoc />
    /// <remarks>
    /// Uncut: the DFL Softmax/Conv, box arithmetic and score Sigmoid after the raw [N, 64+C, A] head, and the
    /// Concat/Reshape chain assembling it. Cut: that chain (the raw head is then the graph output).
    /// </remarks>
    public override RfcnPerf.Onnx.HeadTail QuantizationTail => RfcnPerf.Onnx.HeadTail.RawHeadBeforeDfl;

    /// <inheritdoc />
    public override PostprocessOptions DefaultPostprocess => PostprocessOptions.Yolov8Eval;

    /// <summary>Row of the output where the C class rows start.</summary>
    private protected abstract int FirstClassRow { get; }

    /// <inheritdoc />
    public sealed override void Decode(ModelOutputs outputs, int batchIndex, LetterboxGeometry geometry, PostprocessOptions options, CategoryMap categories, List<Detection> into)
    {
        var data = outputs.ForImage(0, batchIndex);
        var anchors = (int)outputs.Shape(0)[2];
        var threshold = options.ScoreThreshold;
        var rowThreshold = RowThreshold(threshold);
        BeginImage(anchors);
        var count = 0;

        // Class-major loops read the class rows contiguously.
        for (var c = 0; c < ClassCount; c++)
        {
            var row = data.Slice((FirstClassRow + c) * anchors, anchors);
            for (var a = 0; a < row.Length; a++)
            {
                if (row[a] > rowThreshold)
                {
                    var score = Score(row[a]);
                    if (score > threshold)
                    {
                        var candidate = Box(data, anchors, a);
                        candidate.Score = score;
                        candidate.ClassIndex = c;
                        Add(ref count, candidate);
                    }
                }
            }
        }

        var kept = nms.Run(candidates.AsSpan(0, count), options.IouThreshold, options.MaxDetections, options.MaxCandidates);
        Emit(candidates.AsSpan(0, kept), geometry, categories, into);
    }

    /// <summary>
    /// A bound in the output's own units that every score above <paramref name="scoreThreshold"/> exceeds (the
    /// score itself, or its logit); the exact test is on <see cref="Score"/>.
    /// </summary>
    private protected abstract float RowThreshold(float scoreThreshold);

    /// <summary>The class score of an output value (the value itself, or its sigmoid).</summary>
    private protected abstract float Score(float value);

    /// <summary>Called once per image before any <see cref="Box"/>.</summary>
    private protected virtual void BeginImage(int anchors)
    {
    }

    /// <summary>The corner-form box (model-input pixels) of <paramref name="anchor"/>; score and class are set by the caller.</summary>
    private protected abstract Candidate Box(ReadOnlySpan<float> data, int anchors, int anchor);
}
