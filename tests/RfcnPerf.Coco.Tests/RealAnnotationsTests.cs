using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The real val2017 annotation subset in ../shared/assets/coco (polygons, RLE crowds, licenses, urls): what the
/// rest of the product reads from the ground truth. Counts were taken with Python's json module.
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
}
