namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval's <c>Params</c>, with pycocotools' defaults for the iouType to the bit (bbox and segm: maxDets 1, 10,
/// 100 and four area ranges; keypoints: maxDets 20, three area ranges and the 17 COCO sigmas). Set only what
/// differs; <see cref="CocoEvaluator.Evaluate"/> normalises the values as pycocotools' evaluate() does (image ids
/// sorted and de-duplicated, category ids too when <see cref="UseCats"/>, maxDets sorted).
/// </summary>
public sealed class CocoEvalParams
{
    private static readonly double[] DefaultIou = Numpy.Linspace(0.5, 0.95, (int)Math.Round((0.95 - 0.5) / 0.05, MidpointRounding.ToEven) + 1);
    private static readonly double[] DefaultRec = Numpy.Linspace(0.0, 1.00, (int)Math.Round((1.00 - 0.0) / 0.01, MidpointRounding.ToEven) + 1);

    /// <summary>
    /// <c>np.linspace(.5, .95, 10)</c>: .5 .55 .6 .65 .7 .75 .8 .85 0.8999999999999999 .95 (the 9th is not 0.9:
    /// numpy computes <c>i * step + start</c>).
    /// </summary>
    public static IReadOnlyList<double> DefaultIouThrs => DefaultIou;

    /// <summary><c>np.linspace(0, 1, 101)</c>: i * 0.01 as numpy rounds it (e.g. 0.35000000000000003).</summary>
    public static IReadOnlyList<double> DefaultRecThrs => DefaultRec;

    /// <summary>[1, 10, 100].</summary>
    public static IReadOnlyList<int> DefaultMaxDets { get; } = [1, 10, 100];

    /// <summary>all [0, 1e10], small [0, 32²], medium [32², 96²], large [96², 1e10] (1e5² = 1e10).</summary>
    public static IReadOnlyList<CocoAreaRange> DefaultAreaRanges { get; } =
    [
        new("all", 0.0, 1e5 * 1e5),
        new("small", 0.0, 32.0 * 32.0),
        new("medium", 32.0 * 32.0, 96.0 * 96.0),
        new("large", 96.0 * 96.0, 1e5 * 1e5),
    ];

    /// <summary>
    /// <c>np.array([.26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89]) / 10.0</c>:
    /// each quotient as numpy rounds it, which for five of them is not the double nearest the decimal (0.026 etc.).
    /// </summary>
    public static IReadOnlyList<double> DefaultKeypointSigmas { get; } =
        [.. new[] { .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89 }.Select(s => s / 10.0)];

    /// <summary>[20]: Params.setKpParams.</summary>
    public static IReadOnlyList<int> DefaultKeypointMaxDets { get; } = [20];

    /// <summary>all [0, 1e10], medium [32², 96²], large [96², 1e10]: Params.setKpParams (no 'small').</summary>
    public static IReadOnlyList<CocoAreaRange> DefaultKeypointAreaRanges { get; } =
    [
        new("all", 0.0, 1e5 * 1e5),
        new("medium", 32.0 * 32.0, 96.0 * 96.0),
        new("large", 96.0 * 96.0, 1e5 * 1e5),
    ];

    /// <summary>Parameters for a bbox evaluation (pycocotools' <c>Params(iouType='bbox')</c>).</summary>
    public CocoEvalParams()
        : this(CocoIouType.Bbox)
    {
    }

    /// <summary>Parameters with pycocotools' defaults for <paramref name="iouType"/> (<c>Params(iouType)</c>).</summary>
    public CocoEvalParams(CocoIouType iouType)
    {
        if (!Enum.IsDefined(iouType))
        {
            throw new ArgumentOutOfRangeException(nameof(iouType), iouType, "not a COCOeval iouType");
        }

        IouType = iouType;
        if (iouType == CocoIouType.Keypoints)
        {
            MaxDets = DefaultKeypointMaxDets;
            AreaRanges = DefaultKeypointAreaRanges;
            KeypointSigmas = DefaultKeypointSigmas;
        }
    }

    /// <summary>What is compared: boxes, masks or keypoints (<c>params.iouType</c>), fixed at construction.</summary>
    public CocoIouType IouType { get; }

    /// <summary>
    /// Keypoints only: the OKS sigma of each keypoint as used (<c>params.kpt_oks_sigmas</c>, already divided by 10,
    /// e.g. 0.026); as many as keypoints per object.
    /// </summary>
    public IReadOnlyList<double>? KeypointSigmas { get; set; }

    /// <summary>Images to evaluate (<c>params.imgIds</c>); null means every ground-truth image. Ids not in the
    /// ground truth are allowed and simply have nothing to match, as in pycocotools.</summary>
    public IReadOnlyList<long>? ImgIds { get; set; }

    /// <summary>Categories to evaluate (<c>params.catIds</c>); null means every ground-truth category. With
    /// <see cref="UseCats"/> false, their order (and repeats) decide how detections are pooled.</summary>
    public IReadOnlyList<long>? CatIds { get; set; }

    /// <summary>IoU thresholds (<c>params.iouThrs</c>).</summary>
    public IReadOnlyList<double> IouThrs { get; set; } = DefaultIou;

    /// <summary>Recall thresholds of the precision curve (<c>params.recThrs</c>).</summary>
    public IReadOnlyList<double> RecThrs { get; set; } = DefaultRec;

    /// <summary>Detections kept per image and category (<c>params.maxDets</c>); summarize() needs at least three for bbox and segm.</summary>
    public IReadOnlyList<int> MaxDets { get; set; } = DefaultMaxDets;

    /// <summary>Area ranges with their labels (<c>params.areaRng</c> and <c>params.areaRngLbl</c>).</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges { get; set; } = DefaultAreaRanges;

    /// <summary><c>params.useCats</c>: false evaluates class-agnostically (one pooled "category" with id -1).</summary>
    public bool UseCats { get; set; } = true;

    /// <summary>Checks values pycocotools would misuse silently or crash on; throws <see cref="CocoException"/>.</summary>
    internal void Validate()
    {
        if (MaxDets.Count == 0)
        {
            throw new CocoException("maxDets is empty: give at least one (e.g. 1,10,100)");
        }

        foreach (int m in MaxDets)
        {
            if (m < 0)
            {
                throw new CocoException($"maxDets must not be negative, found {m}");
            }
        }

        foreach (double t in IouThrs)
        {
            if (double.IsNaN(t))
            {
                throw new CocoException("iouThrs contains NaN");
            }
        }

        foreach (double r in RecThrs)
        {
            if (double.IsNaN(r))
            {
                throw new CocoException("recThrs contains NaN");
            }
        }

        if (IouType == CocoIouType.Keypoints)
        {
            if (KeypointSigmas is not { Count: > 0 })
            {
                throw new CocoException("keypoint sigmas are missing: give one per keypoint (e.g. the 17 COCO ones)");
            }

            foreach (double s in KeypointSigmas)
            {
                if (!double.IsFinite(s) || s <= 0)
                {
                    throw new CocoException($"keypoint sigmas must be finite and positive, found {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                }
            }
        }

        foreach (var a in AreaRanges)
        {
            if (double.IsNaN(a.Min) || double.IsNaN(a.Max) || a.Label is null)
            {
                throw new CocoException($"area range '{a.Label}' needs a label and two numbers, found [{a.Min}, {a.Max}]");
            }
        }
    }
}
