using System.IO.Compression;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// tests/data/tide-expected.json: what tidecv itself (dbolya/tide, run by tools/tide-reference/tide_reference.py)
/// printed for each case, and where each case's files are: the hand-built cases of tests/data/tide-cases, the golden
/// pycocotools cases, and yolov8n / yolov8n-int8 results on the 212-image val2017 subset (tests/data/tide-coco212;
/// their ground truth is the reference subset, so those skip without RFCNPERF_COCO).
/// </summary>
internal sealed record TideReference(string Name, double Ap, double[] DeltaAp, double FalsePositive, double FalseNegative, int[] Counts)
{
    private const string Coco212Suffix = "-coco212";

    private static readonly Lazy<IReadOnlyDictionary<string, TideReference>> All = new(Read);

    public static string DataDir => Path.Combine(TestPaths.RepoRoot, "tests", "data");

    public static IEnumerable<string> Names() => All.Value.Keys;

    public static TideReference Get(string name) => All.Value[name];

    /// <summary>True for the cases whose ground truth is the 212-image reference subset.</summary>
    public bool NeedsCocoSubset => Name.EndsWith(Coco212Suffix, StringComparison.Ordinal);

    /// <summary>The case's ground truth and results (a gzipped results file is unpacked into <paramref name="temp"/>).</summary>
    public (CocoGroundTruth Gt, CocoResults Dt) Load(TempDir temp)
    {
        if (NeedsCocoSubset)
        {
            var model = Name[..^Coco212Suffix.Length];
            var gz = Path.Combine(DataDir, "tide-coco212", model + ".results.json.gz");
            var plain = temp.File(model + ".results.json");
            using (var src = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
            using (var dst = File.Create(plain))
            {
                src.CopyTo(dst);
            }

            var subset = CocoGroundTruth.Load(TestPaths.CocoAnnotations);
            return (subset, CocoResults.Load(plain, subset));
        }

        var handBuilt = Path.Combine(DataDir, "tide-cases", Name);
        var dir = Directory.Exists(handBuilt) ? handBuilt : Path.Combine(TestPaths.CocoEvalCases, Name);
        var gt = CocoGroundTruth.Load(Path.Combine(dir, "gt.json"));
        return (gt, CocoResults.Load(Path.Combine(dir, "dt.json"), gt));
    }

    private static IReadOnlyDictionary<string, TideReference> Read()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DataDir, "tide-expected.json")));
        var cases = new Dictionary<string, TideReference>(StringComparer.Ordinal);
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            var dap = c.GetProperty("dAP");
            var counts = c.GetProperty("counts");
            var special = c.GetProperty("special");
            cases[name] = new TideReference(
                name,
                c.GetProperty("ap").GetDouble(),
                [.. Analysis.Tide.ShortNames.Select(n => dap.GetProperty(n).GetDouble())],
                special.GetProperty("FalsePos").GetDouble(),
                special.GetProperty("FalseNeg").GetDouble(),
                [.. Analysis.Tide.ShortNames.Select(n => counts.GetProperty(n).GetInt32())]);
        }

        return cases;
    }
}
