namespace RfcnPerf.Coco;

/// <summary>
/// One (category, image) record of <see cref="CocoEvalImages"/>: what pycocotools' evaluateImg returns for it,
/// for every area range a and IoU threshold t. Detections d are in score order (stable for ties) and cut to
/// maxDets[-1] (pycocotools' <c>dtIds</c> order); ground truths g are in the order pycocotools groups them
/// (<c>_gts[imgId, catId]</c>, before evaluateImg moves ignored ones last, since that order depends on a).
/// </summary>
public readonly struct CocoEvalImage
{
    private readonly EvaluatedImages e;
    private readonly int detStart;
    private readonly int cell;

    internal CocoEvalImage(EvaluatedImages evaluated, int categoryIndex, int imageIndex)
    {
        e = evaluated;
        CategoryIndex = categoryIndex;
        ImageIndex = imageIndex;
        cell = (categoryIndex * evaluated.Setup.I) + imageIndex;
        detStart = evaluated.CellDetStart[cell];
        DetectionCount = evaluated.CellDetStart[cell + 1] - detStart;
        GroundTruthCount = evaluated.GroundTruthCells.Count(cell);
    }

    /// <summary>Position of the category in <see cref="CocoEvalImages.CategoryIds"/>.</summary>
    public int CategoryIndex { get; }

    /// <summary>Position of the image in <see cref="CocoEvalImages.ImageIds"/>.</summary>
    public int ImageIndex { get; }

    /// <summary>The category id (-1 when evaluated class-agnostically).</summary>
    public long CategoryId => e.Setup.CatIds[CategoryIndex];

    /// <summary>The image id.</summary>
    public long ImageId => e.Setup.ImgIds[ImageIndex];

    /// <summary>No detection and no ground truth: pycocotools' evaluateImg returns None and accumulate skips it.</summary>
    public bool IsEmpty => DetectionCount == 0 && GroundTruthCount == 0;

    /// <summary>Detections kept (at most maxDets[-1]).</summary>
    public int DetectionCount { get; }

    /// <summary>Ground truths of this image and category.</summary>
    public int GroundTruthCount { get; }

    /// <summary>Index of detection d in the loaded <see cref="CocoResults"/> (file order, 0-based; pycocotools' id is this + 1).</summary>
    public int DetectionIndex(int d) => e.DetIndex[Det(d)];

    /// <summary>The score of detection d (<c>dtScores[d]</c>).</summary>
    public double DetectionScore(int d) => e.DetScore[Det(d)];

    /// <summary>
    /// <c>dtMatches[t, d] != 0</c>: detection d matched a ground truth at threshold t in area range a, as accumulate
    /// counts it (a match to a ground truth whose id is 0 reads as unmatched, as in pycocotools).
    /// </summary>
    public bool IsMatched(int d, int a, int t) => (e.Flags[Flag(d, a, t)] & EvaluatedImages.Matched) != 0;

    /// <summary><c>dtIgnore[t, d]</c>: matched to an ignored ground truth, or unmatched and outside the area range.</summary>
    public bool IsIgnored(int d, int a, int t) => (e.Flags[Flag(d, a, t)] & EvaluatedImages.Ignored) != 0;

    /// <summary>
    /// The ground truth (position g in this record) detection d matched at threshold t in area range a, or -1.
    /// Unlike <see cref="IsMatched"/> this also reports a match to a ground truth with id 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">The evaluator did not record matches (<see cref="CocoEvaluator.RecordMatches"/>).</exception>
    public int MatchedGroundTruth(int d, int a, int t) =>
        (e.Match ?? throw new InvalidOperationException("Matches were not recorded: construct the CocoEvaluator with RecordMatches = true."))[Flag(d, a, t)];

    /// <summary>Index of ground truth g in the ground-truth file's annotations (<see cref="CocoGroundTruth.GetAnnotation"/>).</summary>
    public int GroundTruthIndex(int g) => e.GroundTruthCells.Cell(cell)[Gt(g)];

    /// <summary>The annotation id of ground truth g.</summary>
    public long GroundTruthId(int g) => e.GroundTruth.Id[GroundTruthIndex(g)];

    /// <summary>evaluateImg's <c>g['_ignore']</c> for area range a: crowd (or, for keypoints, no keypoint), or area outside the range.</summary>
    public bool IsGroundTruthIgnored(int g, int a)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)a, (uint)e.Setup.A, nameof(a));
        return e.IsIgnored(GroundTruthIndex(g), a);
    }

    /// <summary>Ground truths not ignored in area range a (accumulate's <c>npig</c> for this image).</summary>
    public int NonIgnoredGroundTruthCount(int a)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)a, (uint)e.Setup.A, nameof(a));
        return e.NpigCell[((long)cell * e.Setup.A) + a];
    }

    private int Det(int d)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)d, (uint)DetectionCount, nameof(d));
        return detStart + d;
    }

    private int Gt(int g)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)g, (uint)GroundTruthCount, nameof(g));
        return g;
    }

    private long Flag(int d, int a, int t)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)a, (uint)e.Setup.A, nameof(a));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)t, (uint)e.Setup.T, nameof(t));
        return ((((long)Det(d) * e.Setup.A) + a) * e.Setup.T) + t;
    }
}
