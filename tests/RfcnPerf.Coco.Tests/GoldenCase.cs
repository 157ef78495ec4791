using System.Globalization;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// One folder of the golden cases made with pycocotools 2.0.11 (tests/data/coco-eval-cases.tar.gz for bbox,
/// tests/data/coco-eval-cases-segm-kp.tar.gz for segm and keypoints, or the large cases of the reference folder):
/// gt.json, dt.json (either may be gzipped), expected.json and, for small cases, the accumulate() arrays and
/// pycocotools' IoU matrices. Expected values are read as they are, never adjusted.
/// </summary>
internal sealed class GoldenCase
{
    private GoldenCase(string root, string name)
    {
        Name = name;
        Dir = Path.Combine(root, name);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dir, "expected.json")));
        var rootElement = doc.RootElement;
        IouType = rootElement.TryGetProperty("iouType", out var type) && CocoIouTypeNames.TryParse(type.GetString(), out var parsed) ? parsed : CocoIouType.Bbox;
        Stats = [.. rootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        StatsHex = [.. rootElement.GetProperty("stats_hex").EnumerateArray().Select(e => e.GetString()!)];
        PerCategory = rootElement.TryGetProperty("per_category", out var perCategory)
            ? [.. perCategory.EnumerateArray().Select(e => (
                Id: e.GetProperty("catId").GetInt64(),
                Values: new[] { "AP", "AP50", "AP75", "APs", "APm", "APl", "AR_maxDetLast" }.Select(n => e.GetProperty(n).GetDouble()).ToArray()))]
            : [];
        PrecisionShape = [.. rootElement.GetProperty("precision_shape").EnumerateArray().Select(e => e.GetInt32())];
        RecallShape = [.. rootElement.GetProperty("recall_shape").EnumerateArray().Select(e => e.GetInt32())];
        SummaryPrinted = rootElement.TryGetProperty("summary_printed", out var printed) ? [.. printed.EnumerateArray().Select(l => l.GetString()!)] : null;
        Params = new CocoEvalParams(IouType);
        var p = rootElement.GetProperty("params");
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

        if (p.TryGetProperty("kpt_oks_sigmas_hex", out var sigmas))
        {
            Params.KeypointSigmas = [.. sigmas.EnumerateArray().Select(e => ParseHex(e.GetString()!))];
        }
    }

    public CocoIouType IouType { get; }

    /// <summary>The lines pycocotools' summarize() printed (the segm and keypoints cases keep them), or null.</summary>
    public string[]? SummaryPrinted { get; }

    public string Name { get; }

    public string Dir { get; }

    public string GroundTruthPath => Json("gt");

    public string ResultsPath => Json("dt");

    public double[] Stats { get; }

    public string[] StatsHex { get; }

    public (long Id, double[] Values)[] PerCategory { get; }

    public int[] PrecisionShape { get; }

    public int[] RecallShape { get; }

    public CocoEvalParams Params { get; }

    public bool HasArrays => File.Exists(Path.Combine(Dir, "precision.f64")) || File.Exists(Path.Combine(Dir, "precision.f64.gz"));

    public static IEnumerable<string> Names() => NamesIn(TestPaths.CocoEvalCases, "RFCNPERF_COCO_EVAL_CASES");

    /// <summary>The bundled segm and keypoints cases.</summary>
    public static IEnumerable<string> SegmKpNames() => NamesIn(TestPaths.CocoEvalCasesSegmKp, "RFCNPERF_COCO_EVAL_CASES_SEGM_KP");

    public static GoldenCase Load(string name) => new(TestPaths.CocoEvalCases, name);

    public static GoldenCase LoadSegmKp(string name) => new(TestPaths.CocoEvalCasesSegmKp, name);

    /// <summary>A case of the reference folder's coco-eval-cases-segm-kp (skips the test when it is not configured).</summary>
    public static GoldenCase LoadShared(string name) => new(Path.Combine(TestPaths.RequireShared(), "coco-eval-cases-segm-kp"), name);

    public double[] ReadArray(string file)
    {
        byte[] bytes = ReadBytes(file);
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i)));
        }

        return values;
    }

    /// <summary>A file of the case, gunzipped when only its .gz is there.</summary>
    public byte[] ReadBytes(string file)
    {
        string path = Path.Combine(Dir, file);
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path + ".gz"), System.IO.Compression.CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    }

    public (CocoSummary Summary, CocoAccumulation Accumulation) Run(int threads, IReadOnlyList<string>? resultsPaths = null)
    {
        var gt = CocoGroundTruth.Load(GroundTruthPath, IouType);
        var dt = CocoResults.Load(resultsPaths ?? [ResultsPath], gt);
        var evaluator = new CocoEvaluator(gt, dt, Params, threads);
        evaluator.Evaluate();
        var acc = evaluator.Accumulate();
        return (evaluator.Summarize(), acc);
    }

    private static IEnumerable<string> NamesIn(string root, string variable)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Golden cases not found at {root} (set {variable}).");
        }

        return Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "expected.json")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// The path of gt.json / dt.json; a gzipped one (the reference folder's large cases) is unpacked once into the temp
    /// folder, in a file named by the case and the .gz file's size and time, written under a scratch name and moved.
    /// </summary>
    private string Json(string stem)
    {
        string plain = Path.Combine(Dir, stem + ".json");
        if (File.Exists(plain))
        {
            return plain;
        }

        var gz = new FileInfo(plain + ".gz");
        string target = Path.Combine(Path.GetTempPath(), $"rfcnperf-{Name}-{stem}-{gz.Length}-{gz.LastWriteTimeUtc.Ticks}.json");
        if (!File.Exists(target))
        {
            string scratch = target + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(scratch, ReadBytes(stem + ".json"));
            File.Move(scratch, target, overwrite: true);
        }

        return target;
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
