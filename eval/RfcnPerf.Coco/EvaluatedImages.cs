namespace RfcnPerf.Coco;

/// <summary>
/// What pycocotools' <c>evalImgs</c> holds that accumulate() reads, flattened per category. Category k owns
/// detections <see cref="DetStart"/>[k] .. [k + 1]: image by image (sorted image ids), each image's
/// detections in score order and cut to maxDets[-1]. For detection n, area range a and IoU threshold t,
/// <see cref="Flags"/>[(n * A + a) * T + t] holds <see cref="Matched"/> (dtMatches != 0) and
/// <see cref="Ignored"/> (dtIgnore).
/// </summary>
internal sealed class EvaluatedImages
{
    /// <summary>dtMatches[t, d] != 0: matched to a ground truth whose id is not 0.</summary>
    public const byte Matched = 1;

    /// <summary>dtIgnore[t, d].</summary>
    public const byte Ignored = 2;

    public EvaluatedImages(EvalSetup setup, int[] detStart)
    {
        Setup = setup;
        DetStart = detStart;
        int n = detStart[^1];
        DetScore = new double[n];
        DetRank = new int[n];
        Flags = new byte[(long)n * setup.A * setup.T];
        Npig = new int[setup.K * setup.A];
    }

    public EvalSetup Setup { get; }

    public int[] DetStart { get; }

    /// <summary>dtScores of each kept detection.</summary>
    public double[] DetScore { get; }

    /// <summary>Position of each kept detection in its image's score order (it survives maxDet iff rank &lt; maxDet).</summary>
    public int[] DetRank { get; }

    public byte[] Flags { get; }

    /// <summary>Non-ignored ground truths per (k, a): accumulate()'s <c>npig</c>.</summary>
    public int[] Npig { get; }
}
