using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>Collects detections in file order (across several files) before they become flat arrays.</summary>
internal sealed class ResultsBuilder(CocoIouType iouType)
{
    private readonly GrowableArray<long> imageId = new();
    private readonly GrowableArray<long> categoryId = new();
    private readonly GrowableArray<double> box = new();
    private readonly GrowableArray<double> score = new();
    private readonly GrowableArray<double> area = new();

    public CocoIouType IouType { get; } = iouType;

    public int Count => score.Count;

    public int Dropped { get; set; }

    /// <summary>loadRes' branch, fixed by the first result read (null before it).</summary>
    public ResultsBranch? Branch { get; set; }

    /// <summary>Masks (segm only).</summary>
    public SegmentationBuilder? Segmentations { get; } = iouType == CocoIouType.Segm ? new() : null;

    public SegmentationReader MaskReader { get; } = new();

    /// <summary>Keypoints (keypoints only).</summary>
    public KeypointArrays.Builder? Keypoints { get; } = iouType == CocoIouType.Keypoints ? new() : null;

    /// <summary>Scratch for number lists being read (keypoints, boxes).</summary>
    public List<double> NumberScratch { get; } = [];

    /// <summary>A detection whose area is <c>w * h</c> of its box (loadRes' bbox branch).</summary>
    public void Add(long detImageId, long detCategoryId, ReadOnlySpan<double> detBox, double detScore) =>
        Add(detImageId, detCategoryId, detBox, detScore, detBox[2] * detBox[3]);

    public void Add(long detImageId, long detCategoryId, ReadOnlySpan<double> detBox, double detScore, double detArea)
    {
        imageId.Add(detImageId);
        categoryId.Add(detCategoryId);
        box.AddRange(detBox);
        score.Add(detScore);
        area.Add(detArea);
    }

    public CocoResults Build(IReadOnlyList<string> sources) => Build([this], sources);

    /// <summary>The detections of <paramref name="parts"/> (consecutive parts of the same files), in order, each column copied once.</summary>
    public static CocoResults Build(IReadOnlyList<ResultsBuilder> parts, IReadOnlyList<string> sources)
    {
        var first = parts[0];
        return new(
            sources,
            first.IouType,
            GrowableArray<long>.Concat(parts.Select(p => p.imageId)),
            GrowableArray<long>.Concat(parts.Select(p => p.categoryId)),
            GrowableArray<double>.Concat(parts.Select(p => p.box)),
            GrowableArray<double>.Concat(parts.Select(p => p.score)),
            GrowableArray<double>.Concat(parts.Select(p => p.area)),
            first.Segmentations is null ? null : SegmentationBuilder.Build([.. parts.Select(p => p.Segmentations!)]),
            first.Keypoints is null ? null : KeypointArrays.Builder.Build([.. parts.Select(p => p.Keypoints!)]),
            parts.Sum(p => p.Dropped));
    }
}
