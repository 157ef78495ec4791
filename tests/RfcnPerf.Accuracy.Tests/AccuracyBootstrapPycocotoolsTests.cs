using System.IO.Compression;
using System.Text.Json;
using RfcnPerf.Coco;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>
/// Bootstrap replicates against pycocotools 2.0.11 itself: tools/accuracy-bootstrap-check/check.py drew image
/// positions, wrote the resampled datasets (drawn images renumbered in draw order, duplicates distinct) and scored them;
/// tests/data/accuracy-bootstrap/pycocotools-replicates.json holds the draws and pycocotools' numbers. Here the one
/// evaluation of the original files is re-accumulated over the same draw (no matching again) and must give the same
/// 12 stats and per-class APs, bit for bit. The two reference-subset replicates are one draw for yolov8n and its INT8
/// model: the pair a replicate of the accuracy report's delta is made of.
/// </summary>
public sealed class AccuracyBootstrapPycocotoolsTests : IDisposable
{
    private static readonly string DataFile = Path.Combine(TestPaths.RepoRoot, "tests", "data", "accuracy-bootstrap", "pycocotools-replicates.json");

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string> Names() => [.. ReplicateNames()];

    [Fact]
    public void The_reference_file_holds_three_checked_cases_and_one_paired_draw_of_the_subset()
    {
        var names = ReplicateNames();

        Assert.Equal(3, names.Count(n => !n.StartsWith("coco212", StringComparison.Ordinal)));
        Assert.Equal(["coco212-yolov8n", "coco212-yolov8n-int8"], names.Where(n => n.StartsWith("coco212", StringComparison.Ordinal)));
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void A_replicate_equals_pycocotools_on_the_written_out_resampled_dataset(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(DataFile));
        var entry = doc.RootElement.GetProperty("replicates").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
        var (gt, dt) = Load(entry.GetProperty("groundTruth").GetString()!, entry.GetProperty("detections").GetString()!);
        var draw = entry.GetProperty("draw").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var expectedStats = entry.GetProperty("stats").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        var expectedPerClass = entry.GetProperty("perCategoryAp").EnumerateObject().ToDictionary(p => long.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetDouble());

        var evaluator = new CocoEvaluator(gt, dt, maxDegreeOfParallelism: 2);
        evaluator.Evaluate();
        var replicate = evaluator.Summarize(evaluator.Accumulate(draw));

        Assert.Equal(draw.Length, evaluator.EvalImages.ImageIds.Count);
        Assert.Equal(expectedStats, replicate.Stats);
        Assert.Equal(expectedPerClass.OrderBy(p => p.Key), replicate.PerCategory.Select(c => KeyValuePair.Create(c.CategoryId, c.AP)).OrderBy(p => p.Key));

        // A draw with repeats is not the original dataset: the check would pass trivially otherwise.
        Assert.True(draw.Distinct().Count() < draw.Length, "the draw has no repeated image");
        Assert.NotEqual(evaluator.Summarize(evaluator.Accumulate()).Stats, replicate.Stats);
    }

    private static string[] ReplicateNames()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(DataFile));
        return [.. doc.RootElement.GetProperty("replicates").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];
    }

    private (CocoGroundTruth Gt, CocoResults Dt) Load(string groundTruth, string detections)
    {
        var gtPath = Resolve(groundTruth);
        var gt = CocoGroundTruth.Load(gtPath);
        var dtPath = Resolve(detections);
        if (dtPath.EndsWith(".gz", StringComparison.Ordinal))
        {
            var plain = dir.File(Path.GetFileNameWithoutExtension(dtPath));
            using (var src = new GZipStream(File.OpenRead(dtPath), CompressionMode.Decompress))
            using (var dst = File.Create(plain))
            {
                src.CopyTo(dst);
            }

            dtPath = plain;
        }

        return (gt, CocoResults.Load(dtPath, gt));
    }

    // The script's references: "cases:" the golden cases, "coco212:" the reference subset (skips without it), "repo:".
    private static string Resolve(string reference)
    {
        var (root, relative) = (reference[..reference.IndexOf(':', StringComparison.Ordinal)], reference[(reference.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        switch (root)
        {
            case "cases":
                return Path.Combine(TestPaths.CocoEvalCases, relative);
            case "coco212":
                TestPaths.RequireCocoSubset();
                return Path.Combine(TestPaths.CocoDir, relative);
            case "repo":
                return Path.Combine(TestPaths.RepoRoot, relative);
            default:
                throw new InvalidDataException($"unknown root in {reference}");
        }
    }
}
