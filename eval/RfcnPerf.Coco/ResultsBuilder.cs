using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>Collects detections in file order (across several files) before they become flat arrays.</summary>
/// <param name="iouType">What is read besides boxes.</param>
/// <param name="bytes">Size of what will be read, for first guesses at the columns' sizes (0: none). A bbox result
/// takes 60 bytes of JSON or more (about 100 as detectors write them), a compressed run-length count at least 1
/// character, a keypoint number about 4. The guesses lean high: room that is never written is never touched (it costs
/// address space only), while outgrowing a column copies it to fresh memory.</param>
/// <param name="maskBytes">The same for the mask columns, when they will take more than this builder reads (the first
/// part of a parallel reading: the other parts' masks are appended to its columns); -1: <paramref name="bytes"/>.</param>
internal sealed class ResultsBuilder(CocoIouType iouType, long bytes = 0, long maskBytes = -1)
{
    private const int MinResultBytes = 60;

    /// <summary>
    /// The per-detection fields as rows while a part is read: one large array per part rather than five columns, so
    /// it is large enough for huge pages (<see cref="LargeArray"/>); the join turns the rows into columns.
    /// </summary>
    private readonly GrowableArray<Row> rows = new(bytes / MinResultBytes);

    public CocoIouType IouType { get; } = iouType;

    public int Count => rows.Count;

    public int Dropped { get; set; }

    /// <summary>loadRes' branch, fixed by the first result read (null before it).</summary>
    public ResultsBranch? Branch { get; set; }

    /// <summary>Masks (segm only).</summary>
    public SegmentationBuilder? Segmentations { get; } = iouType == CocoIouType.Segm ? new((maskBytes < 0 ? bytes : maskBytes) / 8, maskBytes < 0 ? bytes : maskBytes) : null;

    public SegmentationReader MaskReader { get; } = new();

    /// <summary>Keypoints (keypoints only).</summary>
    public KeypointArrays.Builder? Keypoints { get; } = iouType == CocoIouType.Keypoints ? new(bytes / 4) : null;

    /// <summary>A detection whose area is <c>w * h</c> of its box (loadRes' bbox branch).</summary>
    public void Add(long detImageId, long detCategoryId, ReadOnlySpan<double> detBox, double detScore) =>
        Add(detImageId, detCategoryId, detBox, detScore, detBox[2] * detBox[3]);

    public void Add(long detImageId, long detCategoryId, ReadOnlySpan<double> detBox, double detScore, double detArea)
    {
        rows.Add(new Row(detImageId, detCategoryId, detBox[0], detBox[1], detBox[2], detBox[3], detScore, detArea));
    }

    public CocoResults Build(IReadOnlyList<string> sources) => Build([this], sources);

    /// <summary>
    /// The detections of <paramref name="parts"/> (consecutive parts of the same files), in order: each per-detection
    /// column joined into an array of its exact length (every reader of CocoResults may rely on it; see
    /// <see cref="PartJoin"/>), the mask and keypoint columns joined by their builders. The builders are done.
    /// </summary>
    public static CocoResults Build(IReadOnlyList<ResultsBuilder> parts, IReadOnlyList<string> sources)
    {
        int[] at = PartJoin.Offsets(parts, p => p.Count);
        int total = at[^1];
        var imageIds = LargeArray.Uninitialized<long>(total);
        var categoryIds = LargeArray.Uninitialized<long>(total);
        var boxes = LargeArray.Uninitialized<double>(checked(4 * total));
        var scores = LargeArray.Uninitialized<double>(total);
        var areas = LargeArray.Uninitialized<double>(total);
        PartJoin.Copy(parts.Count, p =>
        {
            var part = parts[p].rows.AsSpan();
            for (int i = 0, d = at[p]; i < part.Length; i++, d++)
            {
                ref readonly var row = ref part[i];
                imageIds[d] = row.ImageId;
                categoryIds[d] = row.CategoryId;
                boxes[4 * d] = row.X;
                boxes[(4 * d) + 1] = row.Y;
                boxes[(4 * d) + 2] = row.W;
                boxes[(4 * d) + 3] = row.H;
                scores[d] = row.Score;
                areas[d] = row.Area;
            }
        });

        var first = parts[0];
        return new(
            sources,
            first.IouType,
            imageIds,
            categoryIds,
            boxes,
            scores,
            areas,
            first.Segmentations is null ? null : SegmentationBuilder.Build([.. parts.Select(p => p.Segmentations!)]),
            first.Keypoints is null ? null : KeypointArrays.Builder.Build([.. parts.Select(p => p.Keypoints!)]),
            parts.Sum(p => p.Dropped));
    }

    private readonly record struct Row(long ImageId, long CategoryId, double X, double Y, double W, double H, double Score, double Area);
}
