using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>Collects detections in file order (across several files) before they become flat arrays.</summary>
/// <param name="iouType">What is read besides boxes.</param>
/// <param name="bytes">Size of what will be read, for first guesses at the columns' sizes (0: none). A bbox result
/// takes about 100 bytes of JSON, a compressed run-length count at least 1 character (room for one count per byte is
/// never outgrown; what is not written is never touched), a keypoint number about 4.</param>
internal sealed class ResultsBuilder(CocoIouType iouType, long bytes = 0)
{
    private readonly GrowableArray<long> imageId = new(bytes / 100);
    private readonly GrowableArray<long> categoryId = new(bytes / 100);
    private readonly GrowableArray<double> box = new(4 * (bytes / 100));
    private readonly GrowableArray<double> score = new(bytes / 100);
    private readonly GrowableArray<double> area = new(bytes / 100);

    public CocoIouType IouType { get; } = iouType;

    public int Count => score.Count;

    public int Dropped { get; set; }

    /// <summary>loadRes' branch, fixed by the first result read (null before it).</summary>
    public ResultsBranch? Branch { get; set; }

    /// <summary>Masks (segm only).</summary>
    public SegmentationBuilder? Segmentations { get; } = iouType == CocoIouType.Segm ? new(bytes / 8, bytes) : null;

    public SegmentationReader MaskReader { get; } = new();

    /// <summary>Keypoints (keypoints only).</summary>
    public KeypointArrays.Builder? Keypoints { get; } = iouType == CocoIouType.Keypoints ? new(bytes / 4) : null;

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

    /// <summary>
    /// The detections of <paramref name="parts"/> (consecutive parts of the same files), in order: the later parts are
    /// appended to the first (so the first part's builder should have been sized for everything), each per-detection
    /// column is then copied once into an array of its exact length (every reader of CocoResults may rely on it), and
    /// the mask and keypoint columns are handed over. The builders are done.
    /// </summary>
    public static CocoResults Build(IReadOnlyList<ResultsBuilder> parts, IReadOnlyList<string> sources)
    {
        var first = parts[0];
        foreach (var later in parts.Skip(1))
        {
            first.imageId.AddRange(later.imageId.AsSpan());
            first.categoryId.AddRange(later.categoryId.AsSpan());
            first.box.AddRange(later.box.AsSpan());
            first.score.AddRange(later.score.AsSpan());
            first.area.AddRange(later.area.AsSpan());
            first.Segmentations?.Append(later.Segmentations!);
            first.Keypoints?.Append(later.Keypoints!);
            first.Dropped += later.Dropped;
        }

        return new(
            sources,
            first.IouType,
            first.imageId.ToArray(),
            first.categoryId.ToArray(),
            first.box.ToArray(),
            first.score.ToArray(),
            first.area.ToArray(),
            first.Segmentations?.Build(),
            first.Keypoints?.Build(),
            first.Dropped);
    }
}
