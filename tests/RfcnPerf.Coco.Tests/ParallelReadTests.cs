using System.Globalization;
using System.Text;
using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// Results files read in parts on several threads give exactly what one reader gives: every detection, box, score,
/// area, mask and keypoint, and the same error message for a bad file. Parts are forced small here (a few kilobytes),
/// so every golden file is cut in many places.
/// </summary>
public sealed class ParallelReadTests : IDisposable
{
    private const long SmallPart = 4096;

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string, bool> Files() => new()
    {
        { "large_tiled5k_36k", false },
        { "rand_04_many_dets", false },
        { "segm_real_rle", true },
        { "segm_real_bbox_branch", true },
        { "kp_real_persons", true },
        { "kp_results_with_bbox", true },
        { "kp_many_dets_ties", true },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Parts_read_on_any_number_of_threads_are_the_sequential_reading(string name, bool segmKp)
    {
        var golden = segmKp ? GoldenCase.LoadSegmKp(name) : GoldenCase.Load(name);
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath, golden.IouType);
        var expected = ParallelResults.Sequential([golden.ResultsPath], gt, golden.IouType, false);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            var actual = ParallelResults.Load([golden.ResultsPath], gt, golden.IouType, false, threads, SmallPart);
            AssertSame(expected, actual, $"{name} at {threads} threads");
        }

        // Two files in a row, as shards are scored: the second continues the first's ids and loadRes branch.
        var twice = ParallelResults.Load([golden.ResultsPath, golden.ResultsPath], gt, golden.IouType, false, 3, SmallPart);
        AssertSame(ParallelResults.Sequential([golden.ResultsPath, golden.ResultsPath], gt, golden.IouType, false), twice, $"{name} twice");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Ground_truth_parts_read_on_any_number_of_threads_are_the_sequential_reading(string name, bool segmKp)
    {
        var golden = segmKp ? GoldenCase.LoadSegmKp(name) : GoldenCase.Load(name);
        CocoGroundTruth expected;
        using (var stream = File.OpenRead(golden.GroundTruthPath))
        {
            expected = GroundTruthReader.Read(stream, golden.GroundTruthPath, golden.IouType);
        }

        foreach (int threads in new[] { 2, 3, 8 })
        {
            AssertSame(expected, ParallelGroundTruth.Load(golden.GroundTruthPath, golden.IouType, threads, SmallPart), $"{name} ground truth at {threads} threads");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Ground_truth_sections_after_the_annotations_and_errors_late_in_them_read_as_one_reader_reads_them(bool imagesLast, bool bad)
    {
        var sb = new StringBuilder("{");
        string images = """ "images": [{"id": 1, "width": 640, "height": 480}, {"id": 2, "width": 320, "height": 240}, {"id": 1, "width": 64, "height": 48}]""";
        string categories = """ "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]""";
        if (!imagesLast)
        {
            sb.Append(images).Append(',');
        }

        sb.Append(" \"annotations\": [\n");
        for (int i = 0; i < 2500; i++)
        {
            string area = bad && i == 2100 ? "\"area\": null" : string.Create(CultureInfo.InvariantCulture, $"\"area\": {i}.5");
            sb.Append(i == 0 ? string.Empty : ",\n").Append(CultureInfo.InvariantCulture, $$"""{"id": {{i + 1}}, "image_id": {{1 + (i % 2)}}, "category_id": {{1 + (i % 3 == 0 ? 1 : 0)}}, "bbox": [{{i % 40}}, 2.25, 10, 20], {{area}}, "iscrowd": {{(i % 7 == 0 ? 1 : 0)}}, "segmentation": [[0, 0, 10, 0, 10, 10.5]]}""");
        }

        sb.Append("],").Append(categories);
        if (imagesLast)
        {
            sb.Append(',').Append(images);
        }

        string path = dir.Write("gt.json", sb.Append('}').ToString());
        CocoGroundTruth? expected = null;
        CocoException? expectedError = null;
        try
        {
            using var stream = File.OpenRead(path);
            expected = GroundTruthReader.Read(stream, path, CocoIouType.Segm);
        }
        catch (CocoException ex)
        {
            expectedError = ex;
        }

        Assert.Equal(bad, expectedError is not null);
        if (expected is not null)
        {
            AssertSame(expected, ParallelGroundTruth.Load(path, CocoIouType.Segm, 4, SmallPart), "sections");
        }
        else
        {
            var parallel = Assert.Throws<CocoException>(() => ParallelGroundTruth.Load(path, CocoIouType.Segm, 4, SmallPart));
            Assert.Equal(expectedError!.Message, parallel.Message);
        }
    }

    [Fact]
    public void A_cut_inside_a_string_is_never_used()
    {
        // Every record carries a string that looks like a record boundary, so most cuts fall inside strings.
        var sb = new StringBuilder("[");
        for (int i = 0; i < 3000; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $$"""{"note": "}, {\"image_id\": 2, \"bbox\": [1, 2, 3, 4]}, {", "image_id": {{1 + (i % 2)}}, "category_id": {{1 + (i % 3)}}, "bbox": [{{i % 50}}.5, 1, 10, 20], "score": {{1.0 / (i + 1)}}}""");
        }

        string path = dir.Write("dt.json", sb.Append(']').ToString());
        var gt = GroundTruth();
        var expected = ParallelResults.Sequential([path], gt, CocoIouType.Bbox, false);
        Assert.Equal(3000, expected.Count);
        AssertSame(expected, ParallelResults.Load([path], gt, CocoIouType.Bbox, false, 4, SmallPart), "strings");
    }

    [Theory]
    [InlineData("\"score\": \"high\"")]
    [InlineData("\"score\": 0.5, \"score\": NaN")]
    [InlineData("\"image_id\": 99, \"score\": 0.5")]
    [InlineData("\"score\": 0.5}, {]")]
    public void An_error_in_a_later_part_is_reported_as_one_reader_reports_it(string bad)
    {
        var sb = new StringBuilder("[\n");
        for (int i = 0; i < 2000; i++)
        {
            string score = i == 1700 ? bad : string.Create(CultureInfo.InvariantCulture, $"\"score\": {1.0 / (i + 1)}");
            sb.Append(i == 0 ? string.Empty : ",\n").Append(CultureInfo.InvariantCulture, $$"""{"image_id": {{1 + (i % 2)}}, "category_id": 1, "bbox": [{{i}}, 1, 10, 20], {{score}}}""");
        }

        string path = dir.Write("dt.json", sb.Append("\n]").ToString());
        var gt = GroundTruth();
        var sequential = Assert.Throws<CocoException>(() => ParallelResults.Sequential([path], gt, CocoIouType.Bbox, false));
        var parallel = Assert.Throws<CocoException>(() => ParallelResults.Load([path], gt, CocoIouType.Bbox, false, 4, SmallPart));
        Assert.Equal(sequential.Message, parallel.Message);
        Assert.Matches(@"results\[170[01]\]", sequential.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_later_part_under_another_loadRes_branch_is_read_again_by_one_reader(bool firstHasBox)
    {
        // Masks as compressed strings; the first result decides the branch, the results of the last part differ.
        var sb = new StringBuilder("[");
        for (int i = 0; i < 2000; i++)
        {
            bool box = i < 1500 ? firstHasBox : !firstHasBox;
            sb.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $$"""{"image_id": 1, "category_id": 1, "segmentation": {"size": [480, 640], "counts": "0j?1"}, {{(box ? "\"bbox\": [0, 0, 1, 1], " : string.Empty)}}"score": {{1.0 / (i + 1)}}}""");
        }

        string path = dir.Write("dt.json", sb.Append(']').ToString());
        var gt = GroundTruth();
        CocoResults? expected = null;
        Exception? expectedError = null;
        try
        {
            expected = ParallelResults.Sequential([path], gt, CocoIouType.Segm, false);
        }
        catch (CocoException ex)
        {
            expectedError = ex;
        }

        if (expected is not null)
        {
            AssertSame(expected, ParallelResults.Load([path], gt, CocoIouType.Segm, false, 4, SmallPart), "branch");
        }
        else
        {
            var parallel = Assert.Throws<CocoException>(() => ParallelResults.Load([path], gt, CocoIouType.Segm, false, 4, SmallPart));
            Assert.Equal(expectedError!.Message, parallel.Message);
        }
    }

    private CocoGroundTruth GroundTruth() => CocoGroundTruth.Load(dir.Write("gt.json", """
        {"images": [{"id": 1, "width": 640, "height": 480}, {"id": 2, "width": 640, "height": 480}],
         "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 50, 50], "area": 2500, "iscrowd": 0, "segmentation": [[0, 0, 50, 0, 50, 50]]}],
         "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}]}
        """), CocoIouType.Segm);

    internal static void AssertSame(CocoGroundTruth expected, CocoGroundTruth actual, string what)
    {
        Assert.Equal(expected.Images, actual.Images);
        Assert.Equal(expected.Categories, actual.Categories);
        var e = expected.Annotations;
        var a = actual.Annotations;
        Assert.Equal(e.Id, a.Id);
        Assert.Equal(e.ImageId, a.ImageId);
        Assert.Equal(e.CategoryId, a.CategoryId);
        BitAssert.Equal(e.Box, a.Box, $"{what}: boxes");
        BitAssert.Equal(e.Area, a.Area, $"{what}: areas");
        Assert.Equal(e.Flags, a.Flags);
        Assert.Equal(e.NumKeypoints, a.NumKeypoints);
        Assert.Equal(e.ResolvedIndex, a.ResolvedIndex);
        AssertSame(e.Segmentations, a.Segmentations, what);
        AssertSame(e.Keypoints, a.Keypoints, what);
    }

    internal static void AssertSame(KeypointArrays? e, KeypointArrays? a, string what)
    {
        Assert.Equal(e is null, a is null);
        if (e is null || a is null)
        {
            return;
        }

        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length.Length; i++)
        {
            BitAssert.Equal(e.Of(i), a.Of(i), $"{what}: keypoints {i}");
        }
    }

    internal static void AssertSame(Segmentations? e, Segmentations? a, string what)
    {
        Assert.Equal(e is null, a is null);
        if (e is null || a is null)
        {
            return;
        }

        Assert.Equal(e.Kind, a.Kind);
        Assert.Equal(e.Height, a.Height);
        Assert.Equal(e.Width, a.Width);
        Assert.Equal(e.Length, a.Length);
        Span<double> eb = stackalloc double[4], ab = stackalloc double[4];
        for (int i = 0; i < e.Count; i++)
        {
            if (e.Kind[i] == SegmentationKind.Rle)
            {
                e.BoxOf(i, eb);
                a.BoxOf(i, ab);
                BitAssert.Equal(eb, ab, $"{what}: box {i}");
                Assert.True(e.CountsOf(i).SequenceEqual(a.CountsOf(i)), $"{what}: mask {i}");
            }
            else if (e.Kind[i] == SegmentationKind.Polygons)
            {
                for (int j = 0; j < e.Length[i]; j++)
                {
                    BitAssert.Equal(e.Polygon(i, j), a.Polygon(i, j), $"{what}: polygon {j} of {i}");
                }
            }
        }
    }

    internal static void AssertSame(CocoResults expected, CocoResults actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.DroppedUnknownImageCount, actual.DroppedUnknownImageCount);
        Assert.Equal(expected.ImageId, actual.ImageId);
        Assert.Equal(expected.CategoryId, actual.CategoryId);
        BitAssert.Equal(expected.Box, actual.Box, $"{what}: boxes");
        BitAssert.Equal(expected.Score, actual.Score, $"{what}: scores");
        BitAssert.Equal(expected.Area, actual.Area, $"{what}: areas");
        AssertSame(expected.Segmentations, actual.Segmentations, what);
        AssertSame(expected.Keypoints, actual.Keypoints, what);
    }
}
