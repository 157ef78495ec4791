using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>Collects detections in file order (across several files) before they become flat arrays.</summary>
internal sealed class ResultsBuilder(CocoIouType iouType)
{
    private readonly List<long> imageId = [];
    private readonly List<long> categoryId = [];
    private readonly List<double> box = [];
    private readonly List<double> score = [];
    private readonly List<double> area = [];

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

    public List<double> KeypointScratch { get; } = [];

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

    public CocoResults Build(IReadOnlyList<string> sources) =>
        new(sources, IouType, [.. imageId], [.. categoryId], [.. box], [.. score], [.. area], Segmentations?.Build(), Keypoints?.Build(), Dropped);
}
