using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// Segmentations and keypoints in the readers and the evaluator's checks: what pycocotools would crash on or score as
/// IoU -1 is one <see cref="CocoException"/> naming file, record and field; loadRes' branch rules; repeated keys and
/// dropped records keep the reader's stores aligned.
/// </summary>
public sealed class SegmKpLoaderTests : IDisposable
{
    private const string Images = "\"images\": [{\"id\": 1, \"width\": 64, \"height\": 48}, {\"id\": 2, \"width\": 10, \"height\": 10}, {\"id\": 3}]";
    private const string Categories = "\"categories\": [{\"id\": 1, \"name\": \"person\", \"keypoints\": [\"a\", \"b\"]}, {\"id\": 2, \"name\": \"dog\"}]";

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string GroundTruth(string annotations) => dir.Write("gt.json", "{" + Images + ", " + Categories + ", \"annotations\": [" + annotations + "]}");

    private static string Ann(int id, int image, string extra) =>
        $$"""{"id": {{id}}, "image_id": {{image}}, "category_id": 1, "bbox": [1, 1, 4, 4], "area": 16, "iscrowd": 0{{extra}}}""";

    [Theory]
    [InlineData(", \"segmentation\": [[1, 1, 5, 1, 5, 5]]", 3, "annotations[0].segmentation: polygons need the image's size, but image 3 has no 'height' and 'width'")]
    [InlineData(", \"segmentation\": {\"size\": [10, 10], \"counts\": [100]}", 1, "annotations[0].segmentation.size: [10, 10] differs from image 1's [height, width] [48, 64]")]
    [InlineData(", \"segmentation\": {\"size\": [10, 10], \"counts\": [90]}", 2, "annotations[0].segmentation.counts: the runs cover 90 pixels, but size [10, 10] has 100")]
    [InlineData(", \"segmentation\": {\"counts\": [100]}", 2, "annotations[0].segmentation: the run-length mask has no 'size'")]
    [InlineData(", \"segmentation\": [[1, 1, 5, 1]]", 2, "annotations[0].segmentation: polygon 0 has 4 numbers, expected at least 6")]
    [InlineData(", \"segmentation\": [[1, 1, 5, 1, 5, 5], []]", 2, "annotations[0].segmentation: polygon 1 has 0 numbers")]
    [InlineData(", \"segmentation\": []", 2, "annotations[0].segmentation: an empty list of polygons")]
    [InlineData(", \"segmentation\": [[1, 1, 5, 1, 5, 5e9]]", 2, "annotations[0].segmentation: polygon 0 spans more than")]

    // 5 x + .5 passes 2^31 between the vertices: the C cast makes the second INT_MIN, and rleFrPoly would walk 2^32 points.
    [InlineData(", \"segmentation\": [[429496729, 1, 429496730, 1, 429496730, 5]]", 2, "annotations[0].segmentation: polygon 0 spans more than")]
    [InlineData(", \"segmentation\": {\"size\": [10, 10], \"counts\": \"p\"}", 2, "annotations[0].segmentation.counts: character 0 of the compressed run lengths")]
    public void Bad_ground_truth_masks_are_refused_when_read(string extra, int image, string expected)
    {
        string path = GroundTruth(Ann(1, image, extra));
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path, CocoIouType.Segm));
        Assert.Contains(path + ": " + expected, ex.Message, StringComparison.Ordinal);

        // Read for bbox, the segmentation is skipped.
        Assert.Equal(1, CocoGroundTruth.Load(path).AnnotationCount);
    }

    [Theory]
    [InlineData(", \"keypoints\": [1, 2, 2, 3]", "annotations[0].keypoints: expected x, y, v for each keypoint (a non-zero multiple of 3 numbers), found 4 numbers")]
    [InlineData(", \"keypoints\": [1, 2, 2]", "annotations[0].keypoints: 3 numbers, but category 1 'person' declares 2 keypoints (6 numbers: x, y, v each)")]
    public void Bad_ground_truth_keypoints_are_refused_when_read(string extra, string expected)
    {
        string path = GroundTruth(Ann(1, 1, extra));
        var ex = Assert.Throws<CocoException>(() => CocoGroundTruth.Load(path, CocoIouType.Keypoints));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_an_evaluation_needs_is_checked_for_the_evaluated_annotations_only()
    {
        // Annotation 2 (image 2) has no mask: fine while image 2 is not evaluated, an error once it is.
        string gtPath = GroundTruth(Ann(1, 1, ", \"segmentation\": [[1, 1, 5, 1, 5, 5]]") + ", " + Ann(2, 2, string.Empty));
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Segm);
        var dt = CocoResults.Load(dir.Write("dt.json", "[]"), gt);
        Assert.Equal(CocoIouType.Segm, dt.IouType);

        new CocoEvaluator(gt, dt, new CocoEvalParams(CocoIouType.Segm) { ImgIds = [1] }).Run();
        var ex = Assert.Throws<CocoException>(() => new CocoEvaluator(gt, dt, new CocoEvalParams(CocoIouType.Segm)).Evaluate());
        Assert.Equal(gtPath + ": annotations[1] (id 2): no 'segmentation', but a segm evaluation needs the mask of every ground truth it evaluates (pycocotools: KeyError('segmentation'))", ex.Message);
    }

    [Fact]
    public void Keypoints_need_num_keypoints_and_one_sigma_per_keypoint()
    {
        string gtPath = GroundTruth(Ann(1, 1, ", \"keypoints\": [1, 2, 2, 3, 4, 0]"));
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Keypoints);
        var dt = CocoResults.Load(dir.Write("dt.json", "[]"), gt);

        var ex = Assert.Throws<CocoException>(() => new CocoEvaluator(gt, dt, new CocoEvalParams(CocoIouType.Keypoints)).Evaluate());
        Assert.Contains("annotations[0] (id 1): no 'num_keypoints' (pycocotools: KeyError('num_keypoints'))", ex.Message, StringComparison.Ordinal);

        gtPath = GroundTruth(Ann(1, 1, ", \"keypoints\": [1, 2, 2, 3, 4, 0], \"num_keypoints\": 1"));
        gt = CocoGroundTruth.Load(gtPath, CocoIouType.Keypoints);
        ex = Assert.Throws<CocoException>(() => new CocoEvaluator(gt, CocoResults.Load(dir.Write("dt.json", "[]"), gt), new CocoEvalParams(CocoIouType.Keypoints)).Evaluate());
        Assert.Contains("6 keypoint numbers (2 keypoints), expected one sigma per keypoint and 17 sigmas are given", ex.Message, StringComparison.Ordinal);

        var two = new CocoEvalParams(CocoIouType.Keypoints) { KeypointSigmas = [0.05, 0.05] };
        Assert.Equal(10, new CocoEvaluator(gt, CocoResults.Load(dir.Write("dt.json", "[]"), gt), two).Run().Stats.Count);
    }

    [Fact]
    public void An_evaluation_needs_the_files_read_for_it()
    {
        string gtPath = GroundTruth(Ann(1, 1, ", \"segmentation\": [[1, 1, 5, 1, 5, 5]]"));
        var forBoxes = CocoGroundTruth.Load(gtPath);
        var forMasks = CocoGroundTruth.Load(gtPath, CocoIouType.Segm);
        string dtPath = dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "score": 0.5, "bbox": [1, 1, 4, 4], "segmentation": [[1, 1, 5, 1, 5, 5]]}]""");

        var ex = Assert.Throws<CocoException>(() => new CocoEvaluator(forBoxes, CocoResults.Load(dtPath, forBoxes), new CocoEvalParams(CocoIouType.Segm)).Evaluate());
        Assert.Equal("a segm evaluation needs the ground truth and the results read for segm (they were read for bbox and bbox)", ex.Message);

        // A bbox evaluation can use files read for segm (the boxes are there).
        var boxes = new CocoEvaluator(forMasks, CocoResults.Load(dtPath, forMasks), new CocoEvalParams()).Run();
        var masks = new CocoEvaluator(forMasks, CocoResults.Load(dtPath, forMasks), new CocoEvalParams(CocoIouType.Segm)).Run();
        Assert.Equal(12, boxes.Stats.Count);
        Assert.Equal(CocoIouType.Segm, masks.IouType);
    }

    [Fact]
    public void The_first_result_picks_loadRes_branch()
    {
        string gtPath = GroundTruth(Ann(1, 2, ", \"segmentation\": [[1, 1, 5, 1, 5, 5]]"));
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Segm);

        // "bbox": [] is no bbox: the mask branch, area from the (compressed) mask, runs 20, 10, 70: 10 of the 100
        // pixels, column 2; bbox from the mask.
        var dt = CocoResults.Load(dir.Write("a.json", """[{"image_id": 2, "category_id": 1, "score": 0.5, "bbox": [], "segmentation": {"size": [10, 10], "counts": "d0:V2"}}]"""), gt);
        Assert.Equal(10.0, dt.Area[0]);
        Assert.Equal(new CocoDetection(2, 1, 2, 0, 1, 10, 0.5), dt[0]);

        // With a bbox first, every result's area is w * h, whatever its mask.
        dt = CocoResults.Load(dir.Write("b.json", """[{"image_id": 2, "category_id": 1, "score": 0.5, "bbox": [0, 0, 3, 3], "segmentation": {"size": [10, 10], "counts": [20, 10, 70]}}]"""), gt);
        Assert.Equal(9.0, dt.Area[0]);
    }

    [Fact]
    public void Keypoint_results_without_bbox_take_area_and_box_from_every_keypoint()
    {
        string gtPath = GroundTruth(Ann(1, 1, ", \"keypoints\": [1, 2, 2, 3, 4, 0], \"num_keypoints\": 1"));
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Keypoints);

        // loadRes: x0, x1 = min, max of all x (zeros of unlabelled points included); area = (x1 - x0) * (y1 - y0).
        var dt = CocoResults.Load(dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "score": 0.5, "keypoints": [10, 20, 2, 0, 0, 0]}]"""), gt);
        Assert.Equal(200.0, dt.Area[0]);
        Assert.Equal(new CocoDetection(1, 1, 0, 0, 10, 20, 0.5), dt[0]);

        var ex = Assert.Throws<CocoException>(() => CocoResults.Load(dir.Write("m.json", """[{"image_id": 1, "category_id": 1, "score": 0.5, "segmentation": {"size": [48, 64], "counts": [3072]}, "keypoints": [10, 20, 2, 0, 0, 0]}]"""), gt));
        Assert.Contains("keypoint results with masks are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_keys_keep_the_last_and_dropped_records_leave_nothing_behind()
    {
        string gtPath = GroundTruth(Ann(1, 2, ", \"segmentation\": [[9, 9, 9, 9, 9, 9], [1, 1, 5, 1, 5, 5]], \"segmentation\": [[1, 1, 5, 1, 5, 5]]"));
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Segm);
        string dtPath = dir.Write("dt.json", """
            [{"image_id": 99, "category_id": 1, "score": 0.9, "segmentation": {"size": [10, 10], "counts": "T3"}},
             {"image_id": 2, "category_id": 1, "score": 0.5, "segmentation": {"size": [10, 10], "counts": "T3"}, "segmentation": {"size": [10, 10], "counts": ";4600000a1"}}]
            """);

        var dt = CocoResults.Load([dtPath], gt, CocoIouType.Segm, dropUnknownImages: true);

        Assert.Equal(1, dt.Count);
        Assert.Equal(1, dt.DroppedUnknownImageCount);
        Assert.Equal(16.0, dt.Area[0]);
        var evaluator = new CocoEvaluator(gt, dt, new CocoEvalParams(CocoIouType.Segm) { ImgIds = [2] });
        evaluator.Evaluate();
        Assert.NotNull(evaluator.CellIou(0, 0));
        Assert.True(evaluator.CellIou(0, 0)![0] > 0);
    }
}
