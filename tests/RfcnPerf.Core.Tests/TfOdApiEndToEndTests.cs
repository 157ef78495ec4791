using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Onnx;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// The tf-od-api family end to end on a graph with the seeds' R-FCN contract (built by the ONNX tooling):
/// a real COCO JPEG of its own size in, normalised (ymin, xmin, ymax, xmax) out, COCO pixels and ids in the
/// results file.
/// </summary>
public sealed class TfOdApiEndToEndTests : IDisposable
{
    /// <summary>Boxes are normalised floats times the image size: float rounding only.</summary>
    private const float PixelTolerance = 1e-3f;

    private readonly TempDir temp = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Real_image_through_a_tf_od_api_graph_gives_coco_pixels_and_ids(bool tf2onnxNames)
    {
        var options = new TfOdApiGraphOptions { Tf2OnnxNames = tf2onnxNames, PaddedTo = 10 };
        var path = temp.File("rfcn-contract.onnx");
        OnnxGraphBuilder.TfOdApi(options).Save(path);
        var imagePath = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).First();

        using var session = DetectorSession.Open(path, new SessionSettings());
        Assert.Equal(ModelFamily.TfOdApi, session.Family);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var image = ImageDecoder.Decode(imagePath);
        var (detections, _) = pipeline.Detect([image]);

        // num_detections (3) wins over the padded length (10); ids pass straight through (18, 90 are COCO ids).
        Assert.Equal(options.Detections.Count, detections[0].Count);
        for (var i = 0; i < options.Detections.Count; i++)
        {
            var expected = options.Detections[i];
            var actual = detections[0][i];
            Assert.Equal((int)expected.ClassId, actual.CategoryId);
            Assert.Equal(expected.Score, actual.Score);
            Assert.Equal(expected.XMin * image.Width, actual.X, PixelTolerance);
            Assert.Equal(expected.YMin * image.Height, actual.Y, PixelTolerance);
            Assert.Equal((expected.XMax - expected.XMin) * image.Width, actual.Width, PixelTolerance);
            Assert.Equal((expected.YMax - expected.YMin) * image.Height, actual.Height, PixelTolerance);
        }
    }

    [Fact]
    public void Batch_above_one_is_refused_for_tf_od_api()
    {
        var path = temp.File("rfcn-contract.onnx");
        OnnxGraphBuilder.TfOdApi().Save(path);

        var ex = Assert.ThrowsAny<Exception>(() => DetectorSession.Open(path, new SessionSettings(), 2));

        Assert.True(ex is RfcnPerfException or OnnxModelException, ex.ToString());
    }

    public void Dispose() => temp.Dispose();
}
