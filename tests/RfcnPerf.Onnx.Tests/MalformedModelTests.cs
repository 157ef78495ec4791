using RfcnPerf.Testing;

namespace RfcnPerf.Onnx.Tests;

public sealed class MalformedModelTests : IDisposable
{
    private readonly string dir = TestModels.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TruncatedFile_IsRefusedNamingTheFile()
    {
        var bytes = File.ReadAllBytes(TestModels.Yolov8n);
        var path = Write("truncated.onnx", bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated or not ONNX", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JpegFile_IsRefusedAsNotOnnx()
    {
        var jpeg = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").OrderBy(f => f, StringComparer.Ordinal).First();
        var path = Write("image.onnx", File.ReadAllBytes(jpeg));

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.Contains("expected an ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello, I am a text file\n")]
    public void EmptyOrTextFile_IsRefused(string content)
    {
        var path = Write("text.onnx", System.Text.Encoding.UTF8.GetBytes(content));

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.Contains("expected an ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtobufThatIsNotAModel_IsRefused()
    {
        // Valid protobuf bytes of another message parse as a ModelProto holding only unknown fields (field 2
        // arrives as a varint where ModelProto has a string): no graph, no opset.
        var other = new Proto.OperatorSetIdProto { Version = 7 };
        var path = Write("other-message.onnx", Google.Protobuf.MessageExtensions.ToByteArray(other));

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.Contains("not an ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DanglingNodeInput_IsRefusedNamingNodeAndValue()
    {
        var path = Write("dangling.onnx", new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 4)
            .Node("Add", ["x", "missing_bias"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 4)
            .ToBytes());

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.Contains("'missing_bias'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Add_0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dangling", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingGraphInput_IsRefused()
    {
        // The node reads "x", but the graph declares no input of that name (only "image").
        var path = Write("missing-input.onnx", new OnnxGraphBuilder()
            .Input("image", OnnxElementType.Float, 1, 4)
            .Node("Relu", ["x"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 4)
            .ToBytes());

        var ex = Assert.Throws<OnnxModelException>(() => OnnxBatchify.Batchify(path, System.IO.Path.Combine(dir, "out.onnx")));

        Assert.Contains("input 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputNobodyProduces_IsRefused()
    {
        var path = Write("no-producer.onnx", new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 4)
            .Node("Relu", ["x"], ["y"])
            .Output("z", OnnxElementType.Float, 1, 4)
            .ToBytes());

        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(path));

        Assert.Contains("graph output 'z'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsRefused()
    {
        var ex = Assert.Throws<OnnxModelException>(() => ModelInfo.Read(System.IO.Path.Combine(dir, "nope.onnx")));
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
