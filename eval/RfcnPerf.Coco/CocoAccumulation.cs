namespace RfcnPerf.Coco;

/// <summary>
/// The arrays of COCOeval.accumulate (<c>self.eval</c>): precision and scores [T, R, K, A, M], recall
/// [T, K, A, M], flat in C order exactly as numpy lays them out (so they compare bit for bit with a dump of
/// pycocotools' arrays). -1 marks a setting without ground truth. T = IoU thresholds, R = recall thresholds,
/// K = categories, A = area ranges, M = maxDets.
/// </summary>
public sealed class CocoAccumulation
{
    private readonly double[] precision;
    private readonly double[] recall;
    private readonly Lock scoresLock = new();
    private double[]? scores;
    private bool scoresCurrent;
    private Action<double[]> fillScores;

    /// <param name="setup">The evaluation's parameters.</param>
    /// <param name="precision">precision[T, R, K, A, M], written.</param>
    /// <param name="recall">recall[T, K, A, M], written.</param>
    /// <param name="fillScores">Writes this accumulation's scores into an array of precision's length: the scores
    /// are computed the first time they are asked for.</param>
    internal CocoAccumulation(EvalSetup setup, double[] precision, double[] recall, Action<double[]> fillScores)
    {
        Setup = setup;
        this.precision = precision;
        this.recall = recall;
        this.fillScores = fillScores;
    }

    /// <summary>IoU thresholds (the T axis).</summary>
    public IReadOnlyList<double> IouThrs => Setup.IouThrs;

    /// <summary>Recall thresholds (the R axis).</summary>
    public IReadOnlyList<double> RecThrs => Setup.RecThrs;

    /// <summary>Category ids of the K axis (sorted), or [-1] for a class-agnostic evaluation.</summary>
    public IReadOnlyList<long> CategoryIds => Setup.CatIds;

    /// <summary>Area ranges (the A axis).</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges => Setup.AreaRanges;

    /// <summary>maxDets, sorted (the M axis).</summary>
    public IReadOnlyList<int> MaxDets => Setup.MaxDets;

    /// <summary>The evaluated image ids, sorted and unique.</summary>
    public IReadOnlyList<long> ImageIds => Setup.ImgIds;

    /// <summary>Shape of <see cref="Precision"/> and <see cref="Scores"/>: [T, R, K, A, M].</summary>
    public IReadOnlyList<int> PrecisionShape => [Setup.T, Setup.R, Setup.K, Setup.A, Setup.M];

    /// <summary>Shape of <see cref="Recall"/>: [T, K, A, M].</summary>
    public IReadOnlyList<int> RecallShape => [Setup.T, Setup.K, Setup.A, Setup.M];

    /// <summary>precision[T, R, K, A, M], flat, C order.</summary>
    public ReadOnlySpan<double> Precision => precision;

    /// <summary>recall[T, K, A, M], flat, C order.</summary>
    public ReadOnlySpan<double> Recall => recall;

    /// <summary>
    /// The detection score at each precision point, [T, R, K, A, M], flat, C order. Computed the first time it is
    /// read (the same pass as precision, the same bits): it is as large as precision, the summary does not use it,
    /// and writing megabytes nobody reads costs more than the summary's whole evaluation on a small run.
    /// </summary>
    public ReadOnlySpan<double> Scores => ScoresArray();

    internal EvalSetup Setup { get; }

    /// <summary>The arrays themselves, for the evaluator to write into again.</summary>
    internal (double[] Precision, double[] Recall) Arrays => (precision, recall);

    /// <summary>The evaluator wrote another accumulation into <see cref="Arrays"/>: its scores come from <paramref name="fill"/>.</summary>
    internal void Rewritten(Action<double[]> fill)
    {
        lock (scoresLock)
        {
            fillScores = fill;
            scoresCurrent = false;
        }
    }

    /// <summary>
    /// Writes precision.f64, recall.f64 and scores.f64 into <paramref name="directory"/> (created when missing):
    /// little-endian float64 in C order, the bytes of numpy's <c>E.eval['precision'].tofile(...)</c>, so the arrays
    /// compare byte for byte with pycocotools'.
    /// </summary>
    /// <exception cref="CocoException">The directory cannot be created or written.</exception>
    public void WriteArrays(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            WriteArray(Path.Combine(directory, "precision.f64"), precision);
            WriteArray(Path.Combine(directory, "recall.f64"), recall);
            WriteArray(Path.Combine(directory, "scores.f64"), ScoresArray());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CocoException($"{directory}: cannot write the arrays there ({ex.Message})", ex);
        }
    }

    private double[] ScoresArray()
    {
        lock (scoresLock)
        {
            if (!scoresCurrent)
            {
                scores ??= LargeArray.Uninitialized<double>(precision.Length);
                fillScores(scores);
                scoresCurrent = true;
            }

            return scores!;
        }
    }

    private static void WriteArray(string path, double[] values)
    {
        using var stream = File.Create(path);
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> bytes = stackalloc byte[8];
        foreach (double v in values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    /// <summary>precision[t, r, k, a, m].</summary>
    public double GetPrecision(int t, int r, int k, int a, int m) => precision[PrecisionIndex(t, r, k, a, m)];

    /// <summary>recall[t, k, a, m].</summary>
    public double GetRecall(int t, int k, int a, int m) => recall[RecallIndex(t, k, a, m)];

    /// <summary>The precision at each recall threshold (a PR curve) for one IoU threshold, category, area range
    /// and maxDets index; all -1 when that setting has no ground truth.</summary>
    public double[] GetPrecisionCurve(int t, int k, int a, int m)
    {
        var curve = new double[Setup.R];
        for (int r = 0; r < curve.Length; r++)
        {
            curve[r] = precision[PrecisionIndex(t, r, k, a, m)];
        }

        return curve;
    }

    internal int PrecisionIndex(int t, int r, int k, int a, int m)
    {
        Check(t, Setup.T);
        Check(r, Setup.R);
        Check(k, Setup.K);
        Check(a, Setup.A);
        Check(m, Setup.M);
        return (((((((t * Setup.R) + r) * Setup.K) + k) * Setup.A) + a) * Setup.M) + m;
    }

    internal int RecallIndex(int t, int k, int a, int m)
    {
        Check(t, Setup.T);
        Check(k, Setup.K);
        Check(a, Setup.A);
        Check(m, Setup.M);
        return (((((t * Setup.K) + k) * Setup.A) + a) * Setup.M) + m;
    }

    private static void Check(int index, int length) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)length, nameof(index));
}
