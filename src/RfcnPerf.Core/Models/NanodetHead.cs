using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Models;

/// <summary>
/// NanoDet and NanoDet-Plus (docs/MODELS.md §2; the mirrored "nanodet-plus-m-1.5x-416" file is legacy NanoDet-m-416,
/// see ModelCatalog): BGR, (pixel - mean) / std; per stride one [N, cells, C] sigmoided score
/// map and one [N, cells, 4*(R+1)] Generalized-Focal-Loss distribution map (softmax over R+1 bins, expectation
/// times stride = distance from the cell's prior to each side). Boxes are clamped to the input like
/// NanoDet's <c>distance2bbox(max_shape)</c>, then class-wise NMS.
/// </summary>
public sealed class NanodetHead : FamilyHead
{
    private readonly Level[] levels;
    private readonly int bins;
    private readonly Nms nms;

    /// <summary>Creates a head; <paramref name="levels"/> pairs score and box outputs with their stride.</summary>
    internal NanodetHead(int width, int height, int classCount, int bins, Level[] levels, ResizeMode resize, float centerOffset)
    {
        ClassCount = classCount;
        this.bins = bins;
        this.levels = levels;
        CenterOffset = centerOffset;
        Preprocess = new PreprocessSpec(width, height, TensorLayout.NchwFloat, resize, Bgr: true,
            Mean: [103.53f, 116.28f, 123.675f], Std: [57.375f, 57.12f, 58.395f], PadValue: 0);
        nms = new Nms(classCount);
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>
    /// Offset of a cell's prior from its top-left corner, as a fraction of (stride - 1): 0 puts the prior at
    /// (x*stride, y*stride) as NanoDet-Plus' own head does; 0.5 at x*stride + (stride-1)/2 as the OpenCV zoo demo,
    /// within half a pixel of legacy NanoDet's (x + 0.5)*stride, which the mirrored file was trained with.
    /// </summary>
    public float CenterOffset { get; }

    /// <inheritdoc />
    public override ModelFamily Family => ModelFamily.NanodetPlus;

    /// <inheritdoc />
    public override PreprocessSpec Preprocess { get; }

    /// <inheritdoc />
    /// <remarks>The split into score and distribution maps, their Sigmoid, Reshape and Transpose after the last Conv.</remarks>
    public override RfcnPerf.Onnx.HeadTail QuantizationTail => RfcnPerf.Onnx.HeadTail.AfterLastConv;

    /// <inheritdoc />
    public override PostprocessOptions DefaultPostprocess => PostprocessOptions.NanodetEval;

    /// <summary>Box-map channels of NanoDet-Plus' default head: 4 sides x (reg_max 7 + 1) bins.</summary>
    private const long DefaultBoxChannels = 32;

    /// <summary>What this family expects, for error messages.</summary>
    public const string Expected =
        "nanodet-plus: one float input [N,3,H,W] and, per stride, a float score map [N,cells,C] and a float box map [N,cells,4*(R+1)]";

    /// <summary>Builds a head when the signature fits, else null.</summary>
    public static NanodetHead? TryCreate(ModelSignature signature, ResizeMode resize = NanodetDefaults.Resize, float centerOffset = NanodetDefaults.CenterOffset)
    {
        if (signature.Inputs.Count != 1 || signature.Outputs.Count < 2 || signature.Outputs.Count % 2 != 0
            || !SignatureRules.IsImageNchwFloat(signature.Inputs[0], out var w, out var h))
        {
            return null;
        }

        var outs = signature.Outputs;
        if (outs.Any(o => o.ElementType != "float" || o.Rank != 3 || o.Dims[1] <= 0 || o.Dims[2] <= 0))
        {
            return null;
        }

        // Box maps have 4*(R+1) channels, score maps C; the two widths must be the only two present.
        // NanoDet-Plus uses R = 7 (32 channels); when neither width is 32, the one divisible by 4 is the box
        // map, and if both are (C = 80 is), the smaller one.
        var widths = outs.Select(o => o.Dims[2]).Distinct().Order().ToArray();
        if (widths.Length != 2)
        {
            return null;
        }

        var boxWidth = widths.Contains(DefaultBoxChannels) ? DefaultBoxChannels : widths.FirstOrDefault(d => d % 4 == 0 && d >= 8);
        if (boxWidth == 0)
        {
            return null;
        }

        var classWidth = widths.First(d => d != boxWidth);

        var levels = new List<Level>();
        for (var i = 0; i < outs.Count; i++)
        {
            if (outs[i].Dims[2] != classWidth)
            {
                continue;
            }

            var cells = outs[i].Dims[1];
            var boxIndex = Enumerable.Range(0, outs.Count).FirstOrDefault(j => outs[j].Dims[2] == boxWidth && outs[j].Dims[1] == cells, -1);
            var stride = Math.Sqrt((double)w * h / cells);
            if (boxIndex < 0 || Math.Abs(stride - Math.Round(stride)) > 1e-9
                || w % (int)Math.Round(stride) != 0 || h % (int)Math.Round(stride) != 0)
            {
                return null;
            }

            var s = (int)Math.Round(stride);
            levels.Add(new Level(i, boxIndex, s, w / s, h / s));
        }

        return levels.Count * 2 == outs.Count
            ? new NanodetHead(w, h, (int)classWidth, (int)(boxWidth / 4), levels.OrderBy(l => l.Stride).ToArray(), resize, centerOffset)
            : null;
    }

    /// <inheritdoc />
    public override void Decode(ModelOutputs outputs, int batchIndex, LetterboxGeometry geometry, PostprocessOptions options, CategoryMap categories, List<Detection> into)
    {
        var threshold = options.ScoreThreshold;
        var count = 0;
        float maxX = Preprocess.InputWidth, maxY = Preprocess.InputHeight;
        foreach (var level in levels)
        {
            var scores = outputs.ForImage(level.ScoreOutput, batchIndex);
            var boxes = outputs.ForImage(level.BoxOutput, batchIndex);
            var offset = (level.Stride - 1) * CenterOffset;
            for (var cell = 0; cell < level.GridWidth * level.GridHeight; cell++)
            {
                var cellScores = scores.Slice(cell * ClassCount, ClassCount);
                if (!AnyAbove(cellScores, threshold))
                {
                    continue;
                }

                var dist = boxes.Slice(cell * 4 * bins, 4 * bins);
                var cx = ((cell % level.GridWidth) * level.Stride) + offset;
                var cy = ((cell / level.GridWidth) * level.Stride) + offset;
                var x1 = Math.Clamp(cx - (DistributionFocal.Expectation(dist[..bins]) * level.Stride), 0, maxX);
                var y1 = Math.Clamp(cy - (DistributionFocal.Expectation(dist.Slice(bins, bins)) * level.Stride), 0, maxY);
                var x2 = Math.Clamp(cx + (DistributionFocal.Expectation(dist.Slice(2 * bins, bins)) * level.Stride), 0, maxX);
                var y2 = Math.Clamp(cy + (DistributionFocal.Expectation(dist.Slice(3 * bins, bins)) * level.Stride), 0, maxY);
                for (var c = 0; c < cellScores.Length; c++)
                {
                    if (cellScores[c] > threshold)
                    {
                        Add(ref count, new Candidate(x1, y1, x2, y2, cellScores[c], c));
                    }
                }
            }
        }

        var kept = nms.Run(candidates.AsSpan(0, count), options.IouThreshold, options.MaxDetections, options.MaxCandidates);
        Emit(candidates.AsSpan(0, kept), geometry, categories, into);
    }

    private static bool AnyAbove(ReadOnlySpan<float> values, float threshold)
    {
        foreach (var v in values)
        {
            if (v > threshold)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One stride: which outputs hold its scores and boxes, and its grid.</summary>
    internal readonly record struct Level(int ScoreOutput, int BoxOutput, int Stride, int GridWidth, int GridHeight);
}
