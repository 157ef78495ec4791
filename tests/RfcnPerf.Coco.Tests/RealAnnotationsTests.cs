using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// Real val2017 annotation files (polygons, RLE crowds, licenses, urls): the repository's bundled sample, and the
/// 212-image reference subset when RFCNPERF_COCO names it. Counts were taken with Python's json module.
/// </summary>
public sealed class RealAnnotationsTests
{
    [SkippableFact]
    public void Real_instances_file_loads_images_and_categories()
    {
        TestPaths.RequireCocoSubset();
        var gt = CocoGroundTruth.Load(TestPaths.CocoAnnotations);

        Assert.Equal(212, gt.Images.Count);
        Assert.Equal(new CocoImage(139, "000000000139.jpg", 640, 426), gt.Images[0]);
        Assert.Equal(1922, gt.AnnotationCount);
        Assert.Equal(80, gt.Categories.Count);
        Assert.Equal(new CocoCategory(1, "person", "person"), gt.Categories[0]);
        Assert.Equal(new CocoCategory(90, "toothbrush", "indoor"), gt.Categories[^1]);
        Assert.True(gt.Categories.Zip(gt.Categories.Skip(1)).All(p => p.First.Id < p.Second.Id));
        Assert.True(gt.TryGetCategory(3, out var car) && car.Name == "car");
    }

    [Fact]
    public void The_bundled_sample_loads_with_all_80_categories_and_its_licences()
    {
        var gt = CocoGroundTruth.Load(Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json"));

        Assert.Equal(48, gt.Images.Count);
        Assert.Equal(new CocoImage(139, "000000000139.jpg", 640, 426), gt.Images[0]);
        Assert.Equal(380, gt.AnnotationCount);
        Assert.Equal(80, gt.Categories.Count);
        Assert.Equal(new CocoCategory(90, "toothbrush", "indoor"), gt.Categories[^1]);

        // Every image file is there, and the calibration images are not annotated.
        var calibration = File.ReadAllLines(Path.Combine(TestPaths.BundledSample, "calibration.txt"));
        Assert.All(gt.Images, i => Assert.True(File.Exists(Path.Combine(TestPaths.BundledSample, "val2017", i.FileName!)), i.FileName));
        Assert.Empty(calibration.Intersect(gt.Images.Select(i => i.FileName!)));
        Assert.Equal(gt.Images.Count + calibration.Length, Directory.GetFiles(Path.Combine(TestPaths.BundledSample, "val2017"), "*.jpg").Length);
        var licence = File.ReadAllText(Path.Combine(TestPaths.BundledSample, "LICENSE.md"));
        Assert.All(gt.Images.Select(i => i.FileName!).Concat(calibration), f => Assert.Contains($"| {f} |", licence, StringComparison.Ordinal));
    }

    [Fact]
    public void Non_crowd_boxes_per_category_match_a_plain_json_count()
    {
        var path = Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json");
        var gt = CocoGroundTruth.Load(path);
        var some = gt.Images.Take(10).Select(i => i.Id).ToHashSet();

        Assert.Equal(PlainCount(path, null), gt.NonCrowdCountByCategory(null));
        Assert.Equal(PlainCount(path, some), gt.NonCrowdCountByCategory(some));
        Assert.Equal(380 - 4, gt.NonCrowdCountByCategory(null).Values.Sum()); // the sample's 4 crowd regions are left out
    }

    [Fact]
    public void Any_non_zero_iscrowd_is_a_crowd_region()
    {
        using var dir = new TempDir();
        var path = dir.Write("gt.json", """
            {"images": [{"id": 1, "width": 10, "height": 10}],
             "categories": [{"id": 3, "name": "car"}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 3, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": 0},
               {"id": 2, "image_id": 1, "category_id": 3, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": true},
               {"id": 3, "image_id": 1, "category_id": 3, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": 0.5},
               {"id": 4, "image_id": 7, "category_id": 3, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": false}]}
            """);

        var gt = CocoGroundTruth.Load(path);

        Assert.Equal(new Dictionary<long, int> { [3] = 2 }, gt.NonCrowdCountByCategory(null));
        Assert.Equal(new Dictionary<long, int> { [3] = 1 }, gt.NonCrowdCountByCategory(new HashSet<long> { 1 }));
    }

    /// <summary>The count by the definition, over a JSON document tree: every annotation with a zero or false iscrowd.</summary>
    private static Dictionary<long, int> PlainCount(string path, IReadOnlySet<long>? imageIds)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var counts = new Dictionary<long, int>();
        foreach (var a in doc.RootElement.GetProperty("annotations").EnumerateArray())
        {
            var crowd = a.GetProperty("iscrowd") is var c && (c.ValueKind == JsonValueKind.True || (c.ValueKind == JsonValueKind.Number && c.GetDouble() != 0));
            if (!crowd && (imageIds is null || imageIds.Contains(a.GetProperty("image_id").GetInt64())))
            {
                var category = a.GetProperty("category_id").GetInt64();
                counts[category] = counts.GetValueOrDefault(category) + 1;
            }
        }

        return counts;
    }
}
