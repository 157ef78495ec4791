using System.Text;
using Google.Protobuf;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx.Tests;

public sealed class OnnxModelFileTests
{
    [SkippableTheory]
    [InlineData("fp32")]
    [InlineData("int8")]
    [InlineData("yolov8n")]
    public void RoundTrip_GivesBitIdenticalOutputs(string precision)
    {
        var path = TestModels.Path(precision);
        var rewritten = OnnxModelFile.ToBytes(OnnxModelFile.Load(path));

        using var original = Ort.Session(path);
        using var roundTripped = Ort.Session(rewritten);
        var (inputName, meta) = original.InputMetadata.Single();
        long[] inputShape = [.. meta.Dimensions.Select(d => (long)d)];
        var input = Ort.DeterministicInput((int)inputShape.Aggregate(1L, (a, b) => a * b), seed: 1);
        var expected = Ort.Run(original, inputName, input, inputShape);
        var actual = Ort.Run(roundTripped, inputName, input, inputShape);

        Assert.Equal(original.OutputMetadata.Count, expected.Count);
        foreach (var (name, (data, shape)) in expected)
        {
            Assert.Equal(shape, actual[name].Shape);
            Assert.True(Bits(data).SequenceEqual(Bits(actual[name].Data)), $"output {name} differs after the round trip");
        }
    }

    [SkippableTheory]
    [InlineData("fp32")]
    [InlineData("int8")]
    [InlineData("yolov8n")]
    public void RoundTrip_IsStable_SecondWriteIsByteIdentical(string precision)
    {
        // The first write may differ from the file (we write repeated ints packed, proto2 writers do not);
        // from then on reading and writing must be an exact fixed point.
        var once = OnnxModelFile.ToBytes(OnnxModelFile.Load(TestModels.Path(precision)));
        var twice = OnnxModelFile.ToBytes(OnnxModelFile.Parse(once, "memory"));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void UnknownFields_SurviveRoundTrip_AtModelAndNodeLevel()
    {
        var model = OnnxModelFile.Parse(SmallModel(), "memory");

        // Fields our schema leaves out: ModelProto.functions (25) and NodeProto.metadata_props (9), both
        // length-delimited; written raw so they arrive exactly as a newer ONNX writer would produce them.
        var modelExtra = RawField(25, "model-level-payload");
        var nodeExtra = RawField(9, "node-level-payload");
        var node = NodeProto.Parser.ParseFrom([.. model.Graph.Node[0].ToByteArray(), .. nodeExtra]);
        model.Graph.Node[0] = node;
        var withUnknown = OnnxModelFile.ToBytes(ModelProto.Parser.ParseFrom([.. OnnxModelFile.ToBytes(model), .. modelExtra]));

        var reread = OnnxModelFile.ToBytes(OnnxModelFile.Parse(withUnknown, "memory"));

        Assert.Equal(withUnknown, reread);
        Assert.Contains("model-level-payload", Encoding.ASCII.GetString(reread), StringComparison.Ordinal);
        Assert.Contains("node-level-payload", Encoding.ASCII.GetString(reread), StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroValuedAttributes_KeepTheirPresence()
    {
        // proto2 writers put `i: 0` on the wire; a plain proto3 field would drop it, which the schema's
        // `optional` prevents (ONNX's checker requires exactly one value field per attribute).
        var bytes = new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 2, 3)
            .Node("Concat", ["x", "x"], ["y"], OnnxAttribute.Int("axis", 0))
            .Output("y", OnnxElementType.Float, 4, 3)
            .ToBytes();

        var attribute = OnnxModelFile.Parse(bytes, "memory").Graph.Node[0].Attribute[0];

        Assert.True(attribute.HasI);
        Assert.Equal(0, attribute.I);
    }

    private static byte[] SmallModel() => new OnnxGraphBuilder()
        .Input("x", OnnxElementType.Float, 1, 4)
        .Node("Relu", ["x"], ["y"])
        .Output("y", OnnxElementType.Float, 1, 4)
        .ToBytes();

    private static byte[] RawField(int number, string payload)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8(payload));
        output.Flush();
        return stream.ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
