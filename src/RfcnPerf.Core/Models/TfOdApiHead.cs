using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// TensorFlow Object Detection API exports (the seeds' R-FCN; docs/MODELS.md §2): uint8 RGB
/// <c>image_tensor</c> [1,H,W,3] at the image's own size (the graph resizes); NMS inside the graph; outputs
/// <c>detection_boxes</c> [N,D,4] normalised (ymin, xmin, ymax, xmax), <c>detection_scores</c> [N,D],
/// <c>detection_classes</c> [N,D] holding COCO category ids, <c>num_detections</c> [N]. tf2onnx's
/// <c>:0</c> suffixes are accepted.
/// </summary>
public sealed class TfOdApiHead : FamilyHead
{
    private static readonly string[] RequiredOutputs = ["detection_boxes", "detection_scores", "detection_classes", "num_detections"];

    private TfOdApiHead()
    {
        Preprocess = new PreprocessSpec(0, 0, TensorLayout.NhwcByte, ResizeMode.None, Bgr: false,
            Mean: [0f, 0f, 0f], Std: [1f, 1f, 1f], PadValue: 0);
    }

    /// <inheritdoc />
    public override ModelFamily Family => ModelFamily.TfOdApi;

    /// <inheritdoc />
    public override PreprocessSpec Preprocess { get; }

    /// <inheritdoc />
    public override PostprocessOptions DefaultPostprocess => PostprocessOptions.TfOdApi;

    /// <summary>What this family expects, for error messages.</summary>
    public const string Expected =
        "tf-od-api: uint8 input image_tensor [1,H,W,3] and outputs detection_boxes, detection_scores, detection_classes, num_detections";

    /// <summary>Builds a head when the signature fits, else null.</summary>
    public static TfOdApiHead? TryCreate(ModelSignature signature)
    {
        if (signature.Inputs.Count != 1)
        {
            return null;
        }

        var input = signature.Inputs[0];
        if (input.ElementType != "uint8" || input.Rank != 4 || input.Dims[3] != 3)
        {
            return null;
        }

        var names = signature.Outputs.Select(o => o.BaseName).ToHashSet(StringComparer.Ordinal);
        return RequiredOutputs.All(names.Contains) ? new TfOdApiHead() : null;
    }

    /// <inheritdoc />
    public override void Decode(ModelOutputs outputs, int batchIndex, LetterboxGeometry geometry, PostprocessOptions options, CategoryMap categories, List<Detection> into)
    {
        var boxes = outputs.ForImage(outputs.IndexOf("detection_boxes"), batchIndex);
        var scores = outputs.ForImage(outputs.IndexOf("detection_scores"), batchIndex);
        var classes = outputs.ForImage(outputs.IndexOf("detection_classes"), batchIndex);
        var reported = outputs.ForImage(outputs.IndexOf("num_detections"), batchIndex)[0];
        var n = (int)Math.Clamp(reported, 0, Math.Min(scores.Length, options.MaxDetections));
        float w = geometry.SourceWidth, h = geometry.SourceHeight;
        for (var i = 0; i < n; i++)
        {
            if (!(scores[i] > options.ScoreThreshold) && options.ScoreThreshold > 0)
            {
                continue;
            }

            var ymin = Math.Clamp(boxes[4 * i], 0f, 1f) * h;
            var xmin = Math.Clamp(boxes[(4 * i) + 1], 0f, 1f) * w;
            var ymax = Math.Clamp(boxes[(4 * i) + 2], 0f, 1f) * h;
            var xmax = Math.Clamp(boxes[(4 * i) + 3], 0f, 1f) * w;

            // Category ids come straight from the graph's 90-id label map; no index mapping.
            into.Add(new Detection((int)MathF.Round(classes[i]), scores[i], xmin, ymin, xmax - xmin, ymax - ymin));
        }
    }
}
