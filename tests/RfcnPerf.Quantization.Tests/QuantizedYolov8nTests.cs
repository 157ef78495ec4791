using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Testing;

namespace RfcnPerf.Quantization.Tests;

/// <summary>yolov8n quantized by our quantizer (a few calibration images) still finds the persons FP32 finds.</summary>
public sealed class QuantizedYolov8nTests : IClassFixture<QuantizedYolov8nTests.Fixture>
{
    private readonly Fixture fixture;

    public QuantizedYolov8nTests(Fixture fixture) => this.fixture = fixture;

    [Theory]
    [MemberData(nameof(PersonImages.All), MemberType = typeof(PersonImages))]
    public void Int8_finds_every_large_person(long imageId, int persons)
    {
        PersonImages.AssertFindsEveryLargePerson(fixture.Pipeline, imageId, persons);
    }

    [Fact]
    public void Every_quantized_conv_fused_and_the_head_stayed_fp32()
    {
        var r = fixture.Result;

        Assert.Equal(r.Fusion.QdqConvs, r.Fusion.Int8Convs);
        // The catalog's yolov8n is the cut graph: its 63 Conv all quantized (the DFL Conv left with the tail), and
        // the Concat/Reshape chain assembling the raw head stays float (one uint8 scale over DFL and class logits costs AP).
        Assert.Equal(63, r.Fusion.QdqConvs);
        Assert.DoesNotContain(r.Model.Fp32Nodes, n => n.OpType == "Softmax");
        Assert.Equal(4, r.Model.Fp32Nodes.Count(n => n.OpType == "Concat" && n.Reason.Contains("tail", StringComparison.Ordinal)));
        Assert.Equal(3, r.Model.Fp32Nodes.Count(n => n.OpType == "Reshape" && n.Reason.Contains("tail", StringComparison.Ordinal)));
        Assert.Equal(ModelFamily.Yolov8, r.Family);
    }

    [Fact]
    public void Calibration_is_deterministic()
    {
        var again = Path.Combine(fixture.Dir, "again.onnx");
        ModelQuantizer.Quantize(fixture.Request with { OutputPath = again });

        Assert.Equal(File.ReadAllBytes(fixture.Request.OutputPath), File.ReadAllBytes(again));
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            var source = AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!);
            Dir = Directory.CreateTempSubdirectory("rfcnperf-int8-").FullName;
            Request = new QuantizeRequest(
                source, Path.Combine(Dir, "yolov8n-int8.onnx"),
                CalibrationSet.NotAnnotated(TestPaths.CocoImages, TestPaths.CocoAnnotations).Take(4),
                new QuantizeOptions());
            Result = ModelQuantizer.Quantize(Request);
            Session = DetectorSession.Open(Request.OutputPath, new SessionSettings(), 1);
            Pipeline = new DetectionPipeline(Session.Default, CategoryMap.Coco80);
        }

        public string Dir { get; }

        public QuantizeRequest Request { get; }

        public QuantizeResult Result { get; }

        public DetectorSession Session { get; }

        public DetectionPipeline Pipeline { get; }

        public void Dispose()
        {
            Pipeline.Dispose();
            Session.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }
}
