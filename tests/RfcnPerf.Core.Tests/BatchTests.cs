using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class BatchTests
{
    /// <summary>
    /// Batched convolutions may sum in a different order than batch 1 (other GEMM blocking), so scores and
    /// boxes agree to float rounding, not bit for bit.
    /// </summary>
    private const float BatchTolerance = 1e-3f;

    /// <summary>
    /// yolov8n's and NanoDet's graphs fix batch 1 (docs/MODELS.md §4): batch 3 runs on a batchified copy, and every image's
    /// detections equal its batch-1 detections.
    /// </summary>
    [SkippableTheory]
    [InlineData("yolov8n")]
    [InlineData("yolov8n-uncut")]
    [InlineData("nanodet")]
    public void Batch3_on_a_fixed_batch_model_uses_a_batchified_copy_with_batch1_results(string model)
    {
        // yolov8n is the catalog's cut graph (raw head output, decoded by Yolov8RawHead), yolov8n-uncut the published one.
        var path = model switch
        {
            "nanodet" => MirrorModels.NanodetFp32Path,
            "yolov8n" => MirrorModels.Yolov8nPath,
            _ => MirrorModels.Yolov8nUncutPath,
        };
        var files = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).Take(3).ToArray();
        var images = files.Select(ImageDecoder.Decode).ToArray();
        try
        {
            using var single = DetectorSession.Open(path, new SessionSettings(), 1);
            using var batched = DetectorSession.Open(path, new SessionSettings(), 3);
            Assert.NotEqual(path, batched.ModelPath);
            Assert.True(batched.HasDynamicBatch);

            using var one = new DetectionPipeline(single.Default, CategoryMap.Coco80);
            using var three = new DetectionPipeline(batched.Default, CategoryMap.Coco80);
            var (batchResults, _) = three.Detect(images);
            for (var i = 0; i < images.Length; i++)
            {
                var (singleResults, _) = one.Detect([images[i]]);
                AssertSame(singleResults[0], batchResults[i]);
            }
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Batch_size_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectorSession.Open(MirrorModels.Yolov8nPath, new SessionSettings(), 0));
    }

    private static void AssertSame(List<Detection> expected, List<Detection> actual)
    {
        Assert.True(expected.Count > 0);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].CategoryId, actual[i].CategoryId);
            Assert.Equal(expected[i].Score, actual[i].Score, BatchTolerance);
            Assert.Equal(expected[i].X, actual[i].X, BatchTolerance * 100);
            Assert.Equal(expected[i].Y, actual[i].Y, BatchTolerance * 100);
            Assert.Equal(expected[i].Width, actual[i].Width, BatchTolerance * 100);
            Assert.Equal(expected[i].Height, actual[i].Height, BatchTolerance * 100);
        }
    }
}
