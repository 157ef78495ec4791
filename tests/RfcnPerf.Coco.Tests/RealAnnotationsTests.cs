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
}
