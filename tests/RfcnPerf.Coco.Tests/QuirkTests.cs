using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// pycocotools corners no golden case covers, with the expected numbers derived by hand from cocoeval.py /
/// coco.py (each test says how).
/// </summary>
public sealed class QuirkTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Duplicate_annotation_ids_resolve_to_the_last_annotation_as_loadAnns_does()
    {
        // Annotations 0 and 1 share id 5. getAnnIds(imgIds=[1, 2]) returns [5, 5]; loadAnns looks both up in the
        // anns dict, where id 5 is the LAST annotation (image 2). So image 1 has no ground truth and image 2 has
        // the same annotation twice: a perfect detection on image 1 is a false positive, and nothing is found.
        var gt = CocoGroundTruth.Load(dir.Write("gt.json", """
            {"images": [{"id": 1}, {"id": 2}], "categories": [{"id": 1, "name": "a"}],
             "annotations": [
               {"id": 5, "image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 50], "area": 2500, "iscrowd": 0},
               {"id": 5, "image_id": 2, "category_id": 1, "bbox": [100, 100, 50, 50], "area": 2500, "iscrowd": 0}]}
            """));
        var dt = CocoResults.Load(dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 50], "score": 0.9}]"""), gt);

        var summary = new CocoEvaluator(gt, dt).Run();

        BitAssert.Equal(0.0, summary.Stats[0], "AP");
        BitAssert.Equal(0.0, summary.Stats[8], "AR100");
    }

    [Fact]
    public void Repeated_category_ids_without_use_cats_pool_every_list_twice()
    {
        // useCats=0 concatenates _gts[img, cId] for cId in p.catIds, so catIds [1, 1] lists the one ground truth
        // and the one detection twice. Both copies of the detection match (the first takes the second copy of
        // the ground truth: last equal IoU wins), so tp = [1, 2], npig = 2, pr = [1/(1+2^-52), 2/(2+2^-52) = 1.0]
        // and the envelope lifts pr[0] to 1.0: AP is exactly 1.0, where catIds [1] gives 0.9999999999999998.
        var gt = CocoGroundTruth.Load(dir.Write("gt.json", """
            {"images": [{"id": 1}], "categories": [{"id": 1, "name": "a"}],
             "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 50], "area": 2500, "iscrowd": 0}]}
            """));
        var dt = CocoResults.Load(dir.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 50], "score": 0.9}]"""), gt);

        var once = new CocoEvaluator(gt, dt, new CocoEvalParams { UseCats = false, CatIds = [1] }).Run();
        var twice = new CocoEvaluator(gt, dt, new CocoEvalParams { UseCats = false, CatIds = [1, 1] }).Run();

        BitAssert.Equal(0.9999999999999998, once.Stats[0], "AP with catIds [1]");
        BitAssert.Equal(1.0, twice.Stats[0], "AP with catIds [1, 1]");
        Assert.Equal(-1, twice.PerCategory.Single().CategoryId);
    }

    [Fact]
    public void Iscrowd_true_is_a_crowd()
    {
        // iscrowd: true -> ignore (truthy) and int(True) = 1 -> crowd: a detection inside it is ignored, not a FP,
        // and the crowd is not counted, so the one regular ground truth found gives a single-TP curve.
        var gt = CocoGroundTruth.Load(dir.Write("gt.json", """
            {"images": [{"id": 1}], "categories": [{"id": 1, "name": "a"}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 40, 40], "area": 1600, "iscrowd": 0},
               {"id": 2, "image_id": 1, "category_id": 1, "bbox": [100, 100, 200, 200], "area": 40000, "iscrowd": true}]}
            """));
        var dt = CocoResults.Load(dir.Write("dt.json", """
            [{"image_id": 1, "category_id": 1, "bbox": [120, 120, 50, 50], "score": 0.95},
             {"image_id": 1, "category_id": 1, "bbox": [0, 0, 40, 40], "score": 0.9}]
            """), gt);

        var summary = new CocoEvaluator(gt, dt).Run();

        BitAssert.Equal(0.9999999999999998, summary.Stats[0], "AP");
        BitAssert.Equal(1.0, summary.Stats[8], "AR100");
    }
}
