using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Onnx.Tests;

public sealed class OnnxGraphBuilderTests
{
    [Theory]
    [InlineData(480, 640, false)]
    [InlineData(300, 1000, true)]
    [InlineData(1, 1, false)]
    public void TfOdApiStandIn_RunsInOrtAtAnyImageSize_AndReturnsItsConstants(int height, int width, bool tf2onnxNames)
    {
        var options = new TfOdApiGraphOptions { Tf2OnnxNames = tf2onnxNames };
        string Name(string n) => tf2onnxNames ? n + ":0" : n;
        using var session = Ort.Session(OnnxGraphBuilder.TfOdApi(options).ToBytes());

        var meta = session.InputMetadata[Name("image_tensor")];
        Assert.Equal(typeof(byte), meta.ElementType);
        Assert.Equal(["", "height", "width", ""], meta.SymbolicDimensions);

        using var image = OrtValue.CreateTensorValueFromMemory(new byte[height * width * 3], [1, height, width, 3]);
        var outputs = Ort.Run(session, Name("image_tensor"), image);

        var dets = options.Detections;
        Assert.Equal([1L, 3, 4], outputs[Name("detection_boxes")].Shape);
        Assert.Equal(dets.SelectMany(d => new[] { d.YMin, d.XMin, d.YMax, d.XMax }), outputs[Name("detection_boxes")].Data);
        Assert.Equal([1L, 3], outputs[Name("detection_scores")].Shape);
        Assert.Equal(dets.Select(d => d.Score), outputs[Name("detection_scores")].Data);
        Assert.Equal(dets.Select(d => d.ClassId), outputs[Name("detection_classes")].Data);
        Assert.Equal([1L], outputs[Name("num_detections")].Shape);
        Assert.Equal([3f], outputs[Name("num_detections")].Data);
    }

    [Fact]
    public void TfOdApiStandIn_PadsToN_LikeTensorFlowModels()
    {
        var options = new TfOdApiGraphOptions { PaddedTo = 5, Detections = [new(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 7f)] };
        using var session = Ort.Session(OnnxGraphBuilder.TfOdApi(options).ToBytes());
        using var image = OrtValue.CreateTensorValueFromMemory(new byte[20 * 30 * 3], [1, 20, 30, 3]);

        var outputs = Ort.Run(session, "image_tensor", image);

        Assert.Equal([1L, 5, 4], outputs["detection_boxes"].Shape);
        Assert.Equal([0.5f, 0f, 0f, 0f, 0f], outputs["detection_scores"].Data);
        Assert.Equal([7f, 0f, 0f, 0f, 0f], outputs["detection_classes"].Data);
        Assert.Equal([1f], outputs["num_detections"].Data);
    }

    [Fact]
    public void TfOdApiStandIn_InfoShowsTheContract()
    {
        var info = ModelInfo.Create(OnnxModelFile.Parse(OnnxGraphBuilder.TfOdApi().ToBytes(), "memory"), "memory", 0, "", null);

        Assert.Equal("image_tensor uint8 [1,height,width,3]", Assert.Single(info.Inputs).ToString());
        Assert.Equal(
            ["detection_boxes float32 [1,3,4]", "detection_scores float32 [1,3]", "detection_classes float32 [1,3]", "num_detections float32 [1]"],
            info.Outputs.Select(o => o.ToString()));
    }

    [Fact]
    public void OrtAcceptsAnInputNoNodeReads()
    {
        // Documents ONNX Runtime's behaviour that the tf-od-api stand-in would rely on without its Shape ->
        // num_detections path: a graph input that nothing consumes still loads and can be fed.
        var bytes = new OnnxGraphBuilder()
            .Input("unused", OnnxElementType.UInt8, 1, "h", "w", 3)
            .Constant("c", [4f, 2f], 2)
            .Identity("c", "y")
            .Output("y", OnnxElementType.Float, 2)
            .ToBytes();
        using var session = Ort.Session(bytes);
        using var image = OrtValue.CreateTensorValueFromMemory(new byte[2 * 2 * 3], [1, 2, 2, 3]);

        Assert.Equal([4f, 2f], Ort.Run(session, "unused", image)["y"].Data);
    }

    [Fact]
    public void ConvAddReshapeConcat_ComputeWhatTheyShould()
    {
        // x = [1, 2, 3, 4] as [1,1,2,2]; a 1x1 conv with weight 2 and bias 1 gives 2x+1; adding the
        // initializer 10 and concatenating with x along channels, then flattening: [13,15,17,19, 1,2,3,4].
        var bytes = new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 1, 2, 2)
            .Initializer("w", [2f], 1, 1, 1, 1)
            .Initializer("b", [1f], 1)
            .Constant("ten", [10f], 1)
            .Conv("x", "w", "b", "c")
            .Add("c", "ten", "d")
            .Concat("e", 1, "d", "x")
            .Initializer("flat", [1L, -1], 2)
            .Reshape("e", "flat", "y")
            .Output("y", OnnxElementType.Float, 1, 8)
            .ToBytes();
        using var session = Ort.Session(bytes);

        var y = Ort.Run(session, "x", [1f, 2f, 3f, 4f], [1, 1, 2, 2])["y"];

        Assert.Equal([13f, 15f, 17f, 19f, 1f, 2f, 3f, 4f], y.Data);
    }

    [Fact]
    public void InitializersListedAsInputs_AreParametersNotInputs()
    {
        var builder = new OnnxGraphBuilder { ListInitializersAsInputs = true }
            .Input("x", OnnxElementType.Float, 1, 2)
            .Initializer("w", [1f, 2f], 2)
            .Add("x", "w", "y")
            .Output("y", OnnxElementType.Float, 1, 2);
        var model = OnnxModelFile.Parse(builder.ToBytes(), "memory");

        var info = ModelInfo.Create(model, "memory", 0, "", null);

        Assert.Equal(2, model.Graph.Input.Count);
        Assert.Equal("x", Assert.Single(info.Inputs).Name);
        Assert.Equal(1, info.InitializersListedAsInputs);
        Assert.Equal(2, info.ParameterCount);
    }
}
