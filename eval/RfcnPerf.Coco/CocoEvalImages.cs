namespace RfcnPerf.Coco;

/// <summary>
/// pycocotools' <c>evalImgs</c> after <see cref="CocoEvaluator.Evaluate"/>: one <see cref="CocoEvalImage"/> per
/// (category, image) cell, holding every area range and IoU threshold at once (pycocotools keeps one dict per
/// area range). For diagnostics (which detection matched which ground truth, at which threshold) and for
/// re-accumulating over a sample of images with <see cref="CocoEvaluator.Accumulate(ReadOnlySpan{int})"/>.
/// </summary>
public sealed class CocoEvalImages
{
    private readonly EvaluatedImages e;

    internal CocoEvalImages(EvaluatedImages evaluated)
    {
        e = evaluated;
    }

    /// <summary>The evaluated image ids, sorted and unique (the image axis).</summary>
    public IReadOnlyList<long> ImageIds => e.Setup.ImgIds;

    /// <summary>The category ids (the category axis; [-1] when evaluated class-agnostically).</summary>
    public IReadOnlyList<long> CategoryIds => e.Setup.CatIds;

    /// <summary>Area ranges (index a of the per-detection accessors).</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges => e.Setup.AreaRanges;

    /// <summary>IoU (or OKS) thresholds (index t of the per-detection accessors).</summary>
    public IReadOnlyList<double> IouThrs => e.Setup.IouThrs;

    /// <summary>maxDets, sorted; each image keeps at most the last of them.</summary>
    public IReadOnlyList<int> MaxDets => e.Setup.MaxDets;

    /// <summary>Whether <see cref="CocoEvalImage.MatchedGroundTruth"/> is available (<see cref="CocoEvaluator.RecordMatches"/>).</summary>
    public bool HasMatches => e.Match is not null;

    /// <summary>The record of one category (position in <see cref="CategoryIds"/>) and image (position in <see cref="ImageIds"/>).</summary>
    public CocoEvalImage this[int categoryIndex, int imageIndex]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)categoryIndex, (uint)e.Setup.K, nameof(categoryIndex));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)imageIndex, (uint)e.Setup.I, nameof(imageIndex));
            return new CocoEvalImage(e, categoryIndex, imageIndex);
        }
    }
}
