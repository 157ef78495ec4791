using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// A family's pre-processing spec and output decoding for one concrete model signature. Instances keep
/// scratch buffers and are not thread-safe: one per session.
/// </summary>
public abstract class FamilyHead
{
    private protected Candidate[] candidates = new Candidate[4096];

    /// <summary>The family.</summary>
    public abstract ModelFamily Family { get; }

    /// <summary>How images become this model's input tensor.</summary>
    public abstract PreprocessSpec Preprocess { get; }

    /// <summary>
    /// The part of the graph the quantizer keeps FP32 by default (the family's decoding tail), as a structural
    /// rule the quantizer applies to the graph.
    /// </summary>
    public virtual RfcnPerf.Onnx.HeadTail QuantizationTail => RfcnPerf.Onnx.HeadTail.None;

    /// <summary>The family's published evaluation thresholds.</summary>
    public abstract PostprocessOptions DefaultPostprocess { get; }

    /// <summary>Decodes image <paramref name="batchIndex"/> of <paramref name="outputs"/> into detections in original pixels.</summary>
    public abstract void Decode(ModelOutputs outputs, int batchIndex, LetterboxGeometry geometry, PostprocessOptions options, CategoryMap categories, List<Detection> into);

    /// <summary>Adds a candidate, growing the scratch array when needed.</summary>
    private protected void Add(ref int count, in Candidate candidate)
    {
        if (count == candidates.Length)
        {
            Array.Resize(ref candidates, candidates.Length * 2);
        }

        candidates[count++] = candidate;
    }

    /// <summary>Maps kept candidates (model-input pixels) to COCO boxes in original pixels, clipped to the image.</summary>
    private protected static void Emit(ReadOnlySpan<Candidate> kept, LetterboxGeometry geo, CategoryMap categories, List<Detection> into)
    {
        foreach (var c in kept)
        {
            var x1 = (float)Math.Clamp(geo.ToSourceX(c.X1), 0, geo.SourceWidth);
            var y1 = (float)Math.Clamp(geo.ToSourceY(c.Y1), 0, geo.SourceHeight);
            var x2 = (float)Math.Clamp(geo.ToSourceX(c.X2), 0, geo.SourceWidth);
            var y2 = (float)Math.Clamp(geo.ToSourceY(c.Y2), 0, geo.SourceHeight);
            into.Add(new Detection(categories.IdOf(c.ClassIndex), c.Score, x1, y1, x2 - x1, y2 - y1));
        }
    }
}
