using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// Bad inputs: each must be one <see cref="CocoException"/> whose message names the file, the record and the
/// field, never a JsonException, KeyError-like crash or stack trace.
/// </summary>
public sealed class LoaderErrorTests : IDisposable
{
    private const string GoodGroundTruth = """
        {"info": {"year": 2017}, "images": [{"id": 1, "file_name": "a.jpg", "width": 640, "height": 480}, {"id": 2, "file_name": "b.jpg", "width": 320, "height": 240}],
         "annotations": [
           {"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 50, 50], "area": 2500, "iscrowd": 0, "segmentation": [[0, 0, 50, 0, 50, 50]]},
           {"id": 2, "image_id": 2, "category_id": 2, "bbox": [10, 10, 20, 20], "area": 400, "iscrowd": 0}
         ],
         "categories": [{"id": 2, "name": "dog", "supercategory": "animal"}, {"id": 1, "name": "person"}]}
        """;

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Ground_truth_exposes_images_in_file_order_and_categories_by_id()
    {
        var gt = CocoGroundTruth.Load(dir.Write("gt.json", GoodGroundTruth));

        Assert.Equal([new CocoImage(1, "a.jpg", 640, 480), new CocoImage(2, "b.jpg", 320, 240)], gt.Images);
        Assert.Equal([new CocoCategory(1, "person", null), new CocoCategory(2, "dog", "animal")], gt.Categories);
        Assert.Equal(2, gt.AnnotationCount);
    }

    [Fact]
    public void Truncated_json_names_file_and_position()
    {
        string path = dir.Write("gt.json", GoodGroundTruth[..180]);
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.StartsWith(path + ": annotations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("malformed JSON at line 3", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(the file ends before the JSON is complete: truncated?)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_results_name_the_record()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9}, {"image_id": 1, "category_id""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith(path + ": results[1]: malformed JSON at line 1", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("truncated?)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_inside_a_skipped_field_names_the_record()
    {
        string path = dir.Write("gt.json", GoodGroundTruth.Replace("[[0, 0, 50, 0, 50, 50]]", "[[0, 0,, 50]]", StringComparison.Ordinal));
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.StartsWith(path + ": annotations[0]: malformed JSON at line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_malformed_json()
    {
        string path = dir.Write("gt.json", string.Empty);
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.Equal(path + ": the file is empty (expected JSON)", ex.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        string path = Path.Combine(dir.Path, "nope.json");
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.Equal($"{path}: file not found", ex.Message);
    }

    [Theory]
    [InlineData("iscrowd")]
    [InlineData("area")]
    [InlineData("bbox")]
    [InlineData("image_id")]
    [InlineData("category_id")]
    [InlineData("id")]
    public void Ground_truth_annotation_without_a_needed_field_is_named(string field)
    {
        // Only the second annotation loses the field (renamed), so the index in the message must be 1.
        int second = GoodGroundTruth.IndexOf("{\"id\": 2, \"image_id\": 2", StringComparison.Ordinal);
        string json = GoodGroundTruth[..second] + GoodGroundTruth[second..].Replace($"\"{field}\": ", $"\"x_{field}\": ", StringComparison.Ordinal);
        string path = dir.Write("gt.json", json);

        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.StartsWith($"{path}: annotations[1].{field}: field is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ground_truth_that_is_not_an_object_is_rejected()
    {
        string path = dir.Write("gt.json", "[1, 2, 3]");
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.Equal($"{path}: expected a JSON object with 'images', 'annotations' and 'categories' (COCO ground truth), found an array", ex.Message);
    }

    [Fact]
    public void Ground_truth_without_categories_is_rejected()
    {
        string path = dir.Write("gt.json", """{"images": [], "annotations": []}""");
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.StartsWith($"{path}: the top-level field 'categories' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ground_truth_iscrowd_of_the_wrong_type_is_named()
    {
        string path = dir.Write("gt.json", GoodGroundTruth.Replace("\"iscrowd\": 0}", "\"iscrowd\": \"no\"}", StringComparison.Ordinal));
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path));
        Assert.Equal($"{path}: annotations[1].iscrowd: expected 0 or 1, found the string \"no\"", ex.Message);
    }

    [Fact]
    public void Results_that_are_not_an_array_are_rejected()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """{"annotations": []}""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: expected a JSON array of results", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("found an object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_written_by_python_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """
            [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9},
             {"image_id": 1, "category_id": 1, "bbox": [NaN, 0, 5, 5], "score": 0.8}]
            """);
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: results[1]: malformed JSON at line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NaN and Infinity are not valid JSON numbers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Number_too_large_for_a_double_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1e999, 5], "score": 0.9}]""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.Equal($"{path}: results[0].bbox: expected a finite number, found 1e999", ex.Message);
    }

    [Theory]
    [InlineData("[0, 0, 5]", "found 3 numbers")]
    [InlineData("[0, 0, 5, 5, 1]", "found 5 numbers")]
    [InlineData("[]", "found 0 numbers")]
    [InlineData("[0, 0, \"5\", 5]", "element 2 is the string \"5\"")]
    [InlineData("[0, 0, null, 5]", "element 2 is null")]
    [InlineData("\"0 0 5 5\"", "found the string \"0 0 5 5\"")]
    public void Malformed_bbox_is_named(string bbox, string expected)
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", $$"""[{"image_id": 1, "category_id": 1, "bbox": {{bbox}}, "score": 0.9}]""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: results[0].bbox: expected [x, y, width, height] (4 finite numbers), ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_without_score_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """
            [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9},
             {"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.8},
             {"image_id": 2, "category_id": 2, "bbox": [0, 0, 5, 5]}]
            """);
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: results[2].score: field is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_that_is_a_string_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": "high"}]""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.Equal($"{path}: results[0].score: expected a finite number, found the string \"high\"", ex.Message);
    }

    [Fact]
    public void Result_on_an_unknown_image_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """
            [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9},
             {"image_id": 99, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.8}]
            """);
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: results[1].image_id: image id 99 is not in the ground truth {gt.Source}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--drop-unknown-images", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_on_unknown_images_can_be_dropped_and_are_counted()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """
            [{"image_id": 7, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9},
             {"image_id": 1, "category_id": 1, "bbox": [0, 0, 50, 50], "score": 0.8},
             {"image_id": 8, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.7}]
            """);
        var dt = CocoResults.Load(path, gt, dropUnknownImages: true);
        Assert.Equal(2, dt.DroppedUnknownImageCount);
        Assert.Equal(1, dt.Count);
        Assert.Equal(new CocoDetection(1, 1, 0, 0, 50, 50, 0.8), dt[0]);
    }

    [Fact]
    public void An_error_in_a_later_shard_names_that_shard_and_its_own_record_index()
    {
        var gt = LoadGoodGroundTruth();
        string first = dir.Write("part0.json", """[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9}]""");
        string second = dir.Write("part1.json", """[{"image_id": 2, "category_id": 2, "bbox": [0, 0, 5, 5], "score": 0.9}, {"image_id": 2, "category_id": 2, "bbox": [0, 0, 5, 5]}]""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load([first, second], gt));
        Assert.StartsWith($"{second}: results[1].score: field is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_content_after_the_results_array_is_rejected()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """[] []""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.StartsWith($"{path}: malformed JSON at line 1, byte 4: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_integer_id_is_named()
    {
        var gt = LoadGoodGroundTruth();
        string path = dir.Write("dt.json", """[{"image_id": 1.5, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.9}]""");
        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(path, gt));
        Assert.Equal($"{path}: results[0].image_id: expected an integer, found 1.5", ex.Message);
    }

    [Fact]
    public void Fewer_than_three_max_dets_cannot_be_summarized()
    {
        var gt = LoadGoodGroundTruth();
        var dt = CocoResults.Load(dir.Write("dt.json", "[]"), gt);
        var evaluator = new CocoEvaluator(gt, dt, new CocoEvalParams { MaxDets = [1, 10] });
        evaluator.Evaluate();
        evaluator.Accumulate();
        var ex = Assert.Throws<CocoException>(evaluator.Summarize);
        Assert.StartsWith("summarize needs at least 3 maxDets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_files_are_read_across_buffer_refills()
    {
        // More than the reader's 1 MiB buffer, with long skipped segmentations: exercises refills and skips.
        var sb = new System.Text.StringBuilder("[");
        string polygon = string.Join(", ", Enumerable.Range(0, 400).Select(i => (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int i = 0; i < 3000; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"image_id": {{1 + (i % 2)}}, "segmentation": [[{{polygon}}]], "category_id": 1, "bbox": [{{i}}, 1.5, 10, 20], "score": {{1.0 / (i + 1)}}}""");
        }

        sb.Append(']');
        var gt = LoadGoodGroundTruth();
        var dt = CocoResults.Load(dir.Write("dt.json", sb.ToString()), gt);
        Assert.Equal(3000, dt.Count);
        Assert.Equal(new CocoDetection(2, 1, 2999, 1.5, 10, 20, 1.0 / 3000), dt[2999]);
    }

    private CocoGroundTruth LoadGoodGroundTruth() => CocoGroundTruth.Load(dir.Write("gt.json", GoodGroundTruth));
}
