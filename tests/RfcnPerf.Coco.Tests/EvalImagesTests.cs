using System.Text.Json;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The per-(category, image) records against pycocotools' own evalImgs (evalimgs.json of the golden cases: area
/// 'all', every IoU threshold): detection ids and scores, the ground-truth order, which ground truth each detection
/// matched, and both ignore flags.
/// </summary>
public sealed class EvalImagesTests
{
    public static TheoryData<string> CasesWithEvalImgs() => new(GoldenCase.Names().Where(n => File.Exists(Path.Combine(GoldenCase.Load(n).Dir, "evalimgs.json"))));

    [Theory]
    [MemberData(nameof(CasesWithEvalImgs))]
    public void Records_match_pycocotools_evalImgs(string name)
    {
        var golden = GoldenCase.Load(name);
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 2) { RecordMatches = true };
        evaluator.Evaluate();
        var images = evaluator.EvalImages;
        int all = images.AreaRanges.ToList().FindIndex(r => r.Label == "all");
        var seen = new HashSet<(int, int)>();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(golden.Dir, "evalimgs.json")));
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            int k = images.CategoryIds.ToList().IndexOf(entry.GetProperty("category_id").GetInt64());
            int i = images.ImageIds.ToList().IndexOf(entry.GetProperty("image_id").GetInt64());
            Assert.True(seen.Add((k, i)));
            var r = images[k, i];
            string where = $"{name} image {r.ImageId} category {r.CategoryId}";
            Assert.False(r.IsEmpty, where);

            long[] dtIds = Longs(entry.GetProperty("dtIds"));
            Assert.Equal(dtIds, Enumerable.Range(0, r.DetectionCount).Select(d => (long)r.DetectionIndex(d) + 1));
            BitAssert.Equal(Doubles(entry.GetProperty("dtScores")), [.. Enumerable.Range(0, r.DetectionCount).Select(r.DetectionScore)], where + " dtScores");

            // evaluateImg's gt order: stably sorted by _ignore.
            int[] gtOrder = [.. Enumerable.Range(0, r.GroundTruthCount).OrderBy(g => r.IsGroundTruthIgnored(g, all) ? 1 : 0)];
            Assert.Equal(Longs(entry.GetProperty("gtIds")), gtOrder.Select(r.GroundTruthId));
            Assert.Equal(Longs(entry.GetProperty("gtIgnore")), gtOrder.Select(g => r.IsGroundTruthIgnored(g, all) ? 1L : 0L));
            Assert.Equal(Longs(entry.GetProperty("gtIgnore")).Count(v => v == 0), r.NonIgnoredGroundTruthCount(all));

            var dtMatches = entry.GetProperty("dtMatches").EnumerateArray().Select(Longs).ToArray();
            var dtIgnore = entry.GetProperty("dtIgnore").EnumerateArray().Select(Longs).ToArray();
            var gtMatches = entry.GetProperty("gtMatches").EnumerateArray().Select(Longs).ToArray();
            for (int t = 0; t < images.IouThrs.Count; t++)
            {
                var gtm = new long[r.GroundTruthCount];
                for (int d = 0; d < r.DetectionCount; d++)
                {
                    int m = r.MatchedGroundTruth(d, all, t);
                    Assert.Equal(dtMatches[t][d], m < 0 ? 0 : r.GroundTruthId(m));
                    Assert.Equal(dtMatches[t][d] != 0, r.IsMatched(d, all, t));
                    Assert.Equal(dtIgnore[t][d] != 0, r.IsIgnored(d, all, t));
                    if (m >= 0)
                    {
                        gtm[Array.IndexOf(gtOrder, m)] = r.DetectionIndex(d) + 1; // the last detection wins, as in gtm[tind, m] = d['id']
                    }
                }

                Assert.Equal(gtMatches[t], gtm);
            }
        }

        // Every cell pycocotools left out (None) is empty here.
        for (int k = 0; k < images.CategoryIds.Count; k++)
        {
            for (int i = 0; i < images.ImageIds.Count; i++)
            {
                Assert.Equal(!seen.Contains((k, i)), images[k, i].IsEmpty);
            }
        }
    }

    [Fact]
    public void Matches_need_to_be_asked_for_and_indices_are_checked()
    {
        var golden = GoldenCase.Load("basic_mixed");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt));
        Assert.Throws<InvalidOperationException>(() => evaluator.EvalImages);
        evaluator.Evaluate();
        var r = evaluator.EvalImages[0, 0];

        Assert.False(evaluator.EvalImages.HasMatches);
        Assert.True(r.DetectionCount > 0);
        Assert.Throws<InvalidOperationException>(() => r.MatchedGroundTruth(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.DetectionScore(r.DetectionCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.IsMatched(0, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.EvalImages[evaluator.EvalImages.CategoryIds.Count, 0]);
        var ann = gt.GetAnnotation(r.GroundTruthIndex(0));
        Assert.Equal(r.GroundTruthId(0), ann.Id);
        Assert.Equal(r.ImageId, ann.ImageId);
        Assert.Equal(r.CategoryId, ann.CategoryId);
    }

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.True ? 1L : e.ValueKind == JsonValueKind.False ? 0L : (long)e.GetDouble())];

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];
}
