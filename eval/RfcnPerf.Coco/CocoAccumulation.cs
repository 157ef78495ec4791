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
    private readonly double[] scores;

    internal CocoAccumulation(EvalSetup setup, double[] precision, double[] recall, double[] scores)
    {
        Setup = setup;
        this.precision = precision;
        this.recall = recall;
        this.scores = scores;
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

    /// <summary>The detection score at each precision point, [T, R, K, A, M], flat, C order.</summary>
    public ReadOnlySpan<double> Scores => scores;

    internal EvalSetup Setup { get; }

    /// <summary>The arrays themselves, for the evaluator to write into again.</summary>
    internal (double[] Precision, double[] Recall, double[] Scores) Arrays => (precision, recall, scores);

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
            WriteArray(Path.Combine(directory, "scores.f64"), scores);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CocoException($"{directory}: cannot write the arrays there ({ex.Message})", ex);
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
