namespace RfcnPerf.Coco;

/// <summary>
/// What pycocotools' <c>evalImgs</c> holds, flattened. Cell <c>k * I + i</c> (category k, image i) owns the kept
/// detections <see cref="CellDetStart"/>[cell] .. [cell + 1]: in score order and cut to maxDets[-1]; so category k
/// owns <see cref="DetStart"/>[k] .. [k + 1], image by image (sorted image ids). For kept detection n, area range
/// a and IoU threshold t, <see cref="Flags"/>[(n * A + a) * T + t] holds <see cref="Matched"/> (dtMatches != 0)
/// and <see cref="Ignored"/> (dtIgnore), and, when matches are recorded, <see cref="Match"/> at the same index
/// holds the matched ground truth as a position in its cell's list (-1: none).
/// </summary>
internal sealed class EvaluatedImages
{
    /// <summary>dtMatches[t, d] != 0: matched to a ground truth whose id is not 0.</summary>
    public const byte Matched = 1;

    /// <summary>dtIgnore[t, d].</summary>
    public const byte Ignored = 2;

    public EvaluatedImages(EvalSetup setup, int[] cellDetStart, CellIndex groundTruthCells, AnnotationArrays groundTruth, bool[] groundTruthIgnore, bool recordMatches)
    {
        Setup = setup;
        CellDetStart = cellDetStart;
        DetStart = new int[setup.K + 1];
        for (int k = 0; k <= setup.K; k++)
        {
            DetStart[k] = cellDetStart[k * setup.I];
        }

        GroundTruthCells = groundTruthCells;
        GroundTruth = groundTruth;
        GroundTruthIgnore = groundTruthIgnore;
        int n = cellDetStart[^1];
        DetIndex = LargeArray.Zeroed<int>(n);
        DetScore = LargeArray.Zeroed<double>(n);
        DetRank = LargeArray.Zeroed<int>(n);
        Flags = LargeArray.Zeroed<byte>(checked(n * setup.A * setup.T));
        Match = recordMatches ? LargeArray.Zeroed<int>(Flags.Length) : null;
        NpigCell = LargeArray.Zeroed<int>(checked(setup.K * setup.I * setup.A));
        Npig = new int[setup.K * setup.A];
    }

    public EvalSetup Setup { get; }

    /// <summary>First kept detection of each (category, image) cell, K * I + 1 entries.</summary>
    public int[] CellDetStart { get; }

    /// <summary>First kept detection of each category, K + 1 entries.</summary>
    public int[] DetStart { get; }

    /// <summary>The ground truths of each cell, in pycocotools' <c>_gts</c> order (annotation indices).</summary>
    public CellIndex GroundTruthCells { get; }

    public AnnotationArrays GroundTruth { get; }

    /// <summary><c>gt['ignore']</c> as _prepare leaves it for this iouType, per annotation (file order).</summary>
    public bool[] GroundTruthIgnore { get; }

    /// <summary>Index of each kept detection in the loaded results (file order; pycocotools' id is index + 1).</summary>
    public int[] DetIndex { get; }

    /// <summary>dtScores of each kept detection.</summary>
    public double[] DetScore { get; }

    /// <summary>Position of each kept detection in its image's score order (it survives maxDet iff rank &lt; maxDet).</summary>
    public int[] DetRank { get; }

    public byte[] Flags { get; }

    /// <summary>The matched ground truth (position in the cell's list) per [(n * A + a) * T + t], or null when not recorded.</summary>
    public int[]? Match { get; }

    /// <summary>Non-ignored ground truths per cell and area range, [(k * I + i) * A + a].</summary>
    public int[] NpigCell { get; }

    /// <summary>Non-ignored ground truths per (k, a): accumulate()'s <c>npig</c> over every image.</summary>
    public int[] Npig { get; }

    /// <summary>Whether ground truth <paramref name="annotation"/> is ignored for area range <paramref name="a"/>
    /// (evaluateImg's <c>g['_ignore']</c>: ignore flag or area outside the closed range).</summary>
    public bool IsIgnored(int annotation, int a)
    {
        double area = GroundTruth.Area[annotation];
        var range = Setup.AreaRanges[a];
        return GroundTruthIgnore[annotation] || area < range.Min || area > range.Max;
    }

    /// <summary>Sums <see cref="NpigCell"/> over images into <see cref="Npig"/> (after every cell is evaluated).</summary>
    public void SumNpig()
    {
        int images = Setup.I, areas = Setup.A;
        for (int k = 0; k < Setup.K; k++)
        {
            for (int i = 0; i < images; i++)
            {
                for (int a = 0; a < areas; a++)
                {
                    Npig[(k * areas) + a] += NpigCell[(((long)k * images) + i) * areas + a];
                }
            }
        }
    }
}
