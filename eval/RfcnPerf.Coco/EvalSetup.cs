namespace RfcnPerf.Coco;

/// <summary>
/// The parameters as evaluate() leaves them (pycocotools' <c>_paramsEval</c>): image ids np.unique'd,
/// category ids np.unique'd when useCats (kept as given otherwise), maxDets sorted.
/// </summary>
internal sealed class EvalSetup
{
    private EvalSetup(CocoIouType iouType, long[] imgIds, long[] catIds, long[] pooledCatIds, double[] iouThrs, double[] recThrs, int[] maxDets, CocoAreaRange[] areaRanges, bool useCats, double[] sigmas)
    {
        IouType = iouType;
        KeypointSigmas = sigmas;
        ImgIds = imgIds;
        CatIds = catIds;
        PooledCatIds = pooledCatIds;
        IouThrs = iouThrs;
        RecThrs = recThrs;
        MaxDets = maxDets;
        AreaRanges = areaRanges;
        UseCats = useCats;
    }

    public CocoIouType IouType { get; }

    /// <summary>Keypoints: kpt_oks_sigmas (else empty).</summary>
    public double[] KeypointSigmas { get; }

    public long[] ImgIds { get; }

    /// <summary>The K category ids of the accumulate() arrays: the unique sorted ids, or [-1] without useCats.</summary>
    public long[] CatIds { get; }

    /// <summary>Without useCats: params.catIds as given (order and repeats matter, see computeIoU); else empty.</summary>
    public long[] PooledCatIds { get; }

    public double[] IouThrs { get; }

    public double[] RecThrs { get; }

    public int[] MaxDets { get; }

    public CocoAreaRange[] AreaRanges { get; }

    public bool UseCats { get; }

    public int I => ImgIds.Length;

    public int K => CatIds.Length;

    public int T => IouThrs.Length;

    public int R => RecThrs.Length;

    public int A => AreaRanges.Length;

    public int M => MaxDets.Length;

    /// <summary><c>p.maxDets[-1]</c> after sorting: detections kept per image and category in evaluate().</summary>
    public int MaxDetLast => MaxDets[^1];

    // COCOeval.__init__ (imgIds/catIds defaults) and the head of COCOeval.evaluate (normalisation).
    public static EvalSetup Create(CocoEvalParams p, CocoGroundTruth gt)
    {
        p.Validate();
        long[] imgIds = p.ImgIds is null
            ? [.. gt.Images.Select(img => img.Id)]
            : [.. p.ImgIds];
        imgIds = Unique(imgIds);

        long[] givenCats = p.CatIds is null ? [.. gt.Categories.Select(c => c.Id)] : [.. p.CatIds];
        long[] catIds, pooled;
        if (p.UseCats)
        {
            catIds = Unique(givenCats);
            pooled = [];
        }
        else
        {
            catIds = [-1];
            pooled = givenCats;
        }

        int[] maxDets = [.. p.MaxDets];
        Array.Sort(maxDets);
        double[] sigmas = p.IouType == CocoIouType.Keypoints ? [.. p.KeypointSigmas!] : [];
        return new EvalSetup(p.IouType, imgIds, catIds, pooled, [.. p.IouThrs], [.. p.RecThrs], maxDets, [.. p.AreaRanges], p.UseCats, sigmas);
    }

    /// <summary><c>np.unique</c>: sorted, without repeats.</summary>
    private static long[] Unique(long[] values)
    {
        Array.Sort(values);
        int n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (n == 0 || values[i] != values[n - 1])
            {
                values[n++] = values[i];
            }
        }

        return values[..n];
    }
}
