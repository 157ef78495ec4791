using System.Globalization;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// One folder of the golden cases (tests/data/coco-eval-cases.tar.gz, made with pycocotools 2.0.11): gt.json, dt.json, expected.json and,
/// for small cases, the accumulate() arrays. Expected values are read as they are, never adjusted.
/// </summary>
internal sealed class GoldenCase
{
    private GoldenCase(string name)
    {
        Name = name;
        Dir = Path.Combine(TestPaths.CocoEvalCases, name);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dir, "expected.json")));
        var root = doc.RootElement;
        Stats = [.. root.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        StatsHex = [.. root.GetProperty("stats_hex").EnumerateArray().Select(e => e.GetString()!)];
        PerCategory = [.. root.GetProperty("per_category").EnumerateArray().Select(e => (
            Id: e.GetProperty("catId").GetInt64(),
            Values: new[] { "AP", "AP50", "AP75", "APs", "APm", "APl", "AR_maxDetLast" }.Select(n => e.GetProperty(n).GetDouble()).ToArray()))];
        PrecisionShape = [.. root.GetProperty("precision_shape").EnumerateArray().Select(e => e.GetInt32())];
        RecallShape = [.. root.GetProperty("recall_shape").EnumerateArray().Select(e => e.GetInt32())];
        Params = new CocoEvalParams();
        var p = root.GetProperty("params");
        if (p.TryGetProperty("useCats", out var useCats))
        {
            Params.UseCats = useCats.GetInt32() != 0;
        }

        if (p.TryGetProperty("imgIds", out var imgIds))
        {
            Params.ImgIds = [.. imgIds.EnumerateArray().Select(e => e.GetInt64())];
        }

        if (p.TryGetProperty("catIds", out var catIds))
        {
            Params.CatIds = [.. catIds.EnumerateArray().Select(e => e.GetInt64())];
        }

        if (p.TryGetProperty("maxDets", out var maxDets))
        {
            Params.MaxDets = [.. maxDets.EnumerateArray().Select(e => e.GetInt32())];
        }
    }

    public string Name { get; }

    public string Dir { get; }

    public string GroundTruthPath => Path.Combine(Dir, "gt.json");

    public string ResultsPath => Path.Combine(Dir, "dt.json");

    public double[] Stats { get; }

    public string[] StatsHex { get; }

    public (long Id, double[] Values)[] PerCategory { get; }

    public int[] PrecisionShape { get; }

    public int[] RecallShape { get; }

    public CocoEvalParams Params { get; }

    public bool HasArrays => File.Exists(Path.Combine(Dir, "precision.f64"));

    public static IEnumerable<string> Names()
    {
        string root = TestPaths.CocoEvalCases;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Golden cases not found at {root} (set RFCNPERF_COCO_EVAL_CASES).");
        }

        return Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "expected.json")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
    }

    public static GoldenCase Load(string name) => new(name);

    public double[] ReadArray(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Dir, file));
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i)));
        }

        return values;
    }

    public (CocoSummary Summary, CocoAccumulation Accumulation) Run(int threads, IReadOnlyList<string>? resultsPaths = null)
    {
        var gt = CocoGroundTruth.Load(GroundTruthPath);
        var dt = CocoResults.Load(resultsPaths ?? [ResultsPath], gt);
        var evaluator = new CocoEvaluator(gt, dt, Params, threads);
        evaluator.Evaluate();
        var acc = evaluator.Accumulate();
        return (evaluator.Summarize(), acc);
    }

    /// <summary>Python's float.hex() form ("0x1.9d260511be196p-2", "-0x0.0p+0") to the exact double.</summary>
    public static double ParseHex(string hex)
    {
        bool negative = hex.StartsWith('-');
        string s = negative ? hex[1..] : hex;
        int p = s.IndexOf('p', StringComparison.Ordinal);
        int exponent = int.Parse(s[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string digits = s[2..p];
        int dot = digits.IndexOf('.', StringComparison.Ordinal);
        string frac = dot < 0 ? string.Empty : digits[(dot + 1)..];
        string whole = dot < 0 ? digits : digits[..dot];
        long mantissa = long.Parse(whole + frac, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double value = Math.ScaleB(mantissa, exponent - (4 * frac.Length));
        return negative ? -value : value;
    }
}
