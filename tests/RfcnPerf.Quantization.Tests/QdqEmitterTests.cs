using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization.Tests;

/// <summary>
/// The emitters on their own, writing into a <see cref="QdqGraphWriter"/> over an empty graph: the tensors and
/// nodes each writes, with values worked out by hand.
/// </summary>
public sealed class QdqEmitterTests
{
    private static QdqEmitContext Context(GraphProto graph, bool perChannel = true, bool unsigned = true, params TensorProto[] initializers)
    {
        var plan = new QdqPlan([], ["x"], new Dictionary<string, string>(), []);

        // x in [-1, 3] as uint8: scale 4/255, zero point round(255/4) = 64.
        var scales = ActivationScales.From(plan, new Dictionary<string, (double, double)> { ["x"] = (-1, 3) }, unsigned, "test");
        return new QdqEmitContext(new QdqGraphWriter(graph), scales, initializers.ToDictionary(t => t.Name, StringComparer.Ordinal), perChannel, unsigned, "test");
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static TensorProto Written(QdqEmitContext context, GraphProto graph, string name)
    {
        context.Writer.Finish();
        return graph.Initializer.Single(t => t.Name == name);
    }

    [Fact]
    public void Every_pattern_has_an_emitter()
    {
        Assert.All(Enum.GetValues<QuantPattern>(), p => Assert.NotNull(QdqEmitters.For(p)));
    }

    [Fact]
    public void Weights_are_symmetric_int8_per_output_channel_and_written_once()
    {
        var graph = new GraphProto();
        var w = Floats("w", [0.5f, -2f, 0.5f, 0.1f], 2, 2);
        var context = Context(graph, initializers: w);

        var first = WeightEmitter.Emit("w", w, 0, context);
        var again = WeightEmitter.Emit("w", w, 0, context);

        // Row 0 |max| 2 -> scale 2/127: 0.5 -> 31.75 -> 32, -2 -> -127; row 1 |max| 0.5 -> scale 0.5/127: 0.5 -> 127, 0.1 -> 25.4 -> 25.
        Assert.Same(first, again);
        Assert.Equal(1, context.Writer.WeightCount);
        Assert.Equal([2f / 127, 0.5f / 127], first.Scales);
        Assert.Equal("w_quantized_DequantizeLinear_Output", first.Name);
        var q = Written(context, graph, "w_quantized");
        Assert.Equal((int)OnnxElementType.Int8, q.DataType);
        Assert.Equal(new sbyte[] { 32, -127, 127, 25 }, q.RawData.Select(b => unchecked((sbyte)b)));
        var dq = Assert.Single(graph.Node);
        Assert.Equal(0, NodeAttributes.Int(dq, "axis", -1));
    }

    [Fact]
    public void Per_tensor_weights_have_one_scale_and_no_axis()
    {
        var graph = new GraphProto();
        var w = Floats("w", [1f, -2f, 0.5f, 0.25f], 2, 2);
        var context = Context(graph, perChannel: false, initializers: w);

        var weight = WeightEmitter.Emit("w", w, 0, context);

        Assert.Equal([2f / 127], weight.Scales);
        Assert.Equal(-1, NodeAttributes.Int(Assert.Single(graph.Node), "axis", -1));
    }

    [Fact]
    public void Bias_is_int32_at_input_scale_times_weight_scale()
    {
        var graph = new GraphProto();
        var b = Floats("b", [0.5f, -1f], 2);
        var context = Context(graph, initializers: b);
        var conv = new NodeProto { Name = "conv", OpType = "Conv" };
        conv.Input.AddRange(["x_DequantizeLinear_Output", "w_dq", "b"]);

        BiasEmitter.EmitIfPresent(conv, ["x", "w", "b"], [0.01f, 0.02f], context);

        var inputScale = 4f / 255;
        Assert.Equal("conv_b_quantized_DequantizeLinear_Output", conv.Input[2]);
        var scale = Written(context, graph, "conv_b_quantized_scale");
        Assert.Equal([inputScale * 0.01f, inputScale * 0.02f], scale.FloatData);
        var q = graph.Initializer.Single(t => t.Name == "conv_b_quantized");
        Assert.Equal((int)OnnxElementType.Int32, q.DataType);
        Assert.Equal(
            [(int)Math.Round(0.5 / (inputScale * 0.01f), MidpointRounding.ToEven), (int)Math.Round(-1 / (double)(inputScale * 0.02f), MidpointRounding.ToEven)],
            Enumerable.Range(0, 2).Select(i => BitConverter.ToInt32(q.RawData.Span.Slice(i * 4, 4))));
    }

    [Fact]
    public void A_node_without_bias_gets_none()
    {
        var graph = new GraphProto();
        var conv = new NodeProto { Name = "conv", OpType = "Conv" };
        conv.Input.AddRange(["x", "w"]);

        BiasEmitter.EmitIfPresent(conv, ["x", "w"], [0.01f], Context(graph));

        Assert.Empty(graph.Node);
        Assert.Equal(2, conv.Input.Count);
    }

    [Fact]
    public void A_constant_is_quantized_like_an_activation_from_its_own_range()
    {
        var graph = new GraphProto();
        var k = Floats("k", [0f, 1f, 0.25f], 3);
        var context = Context(graph, initializers: k);

        var name = ConstantEmitter.Emit("k", k, context);

        // [0, 1] as uint8: scale 1/255, zero point 0; 0.25 -> 63.75 -> 64.
        Assert.Equal("k_quantized_DequantizeLinear_Output", name);
        Assert.Equal(new byte[] { 0, 255, 64 }, Written(context, graph, "k_quantized").RawData.ToByteArray());
        Assert.Equal(1f / 255, graph.Initializer.Single(t => t.Name == "k_quantized_scale").FloatData[0]);
        Assert.Equal(0, graph.Initializer.Single(t => t.Name == "k_quantized_zero_point").RawData[0]);
    }

    [Fact]
    public void An_activation_gets_a_quantize_dequantize_pair_with_its_parameters()
    {
        var graph = new GraphProto();
        var context = Context(graph);

        ActivationQdqEmitter.Emit("x", context);

        Assert.Equal(["QuantizeLinear", "DequantizeLinear"], graph.Node.Select(n => n.OpType));
        Assert.Equal("x_DequantizeLinear_Output", graph.Node[1].Output[0]);
        Assert.Equal(4f / 255, Written(context, graph, "x_scale").FloatData[0]);
        Assert.Equal(64, graph.Initializer.Single(t => t.Name == "x_zero_point").RawData[0]);
    }

    [Fact]
    public void Node_names_stay_unique()
    {
        var graph = new GraphProto();
        graph.Node.Add(new NodeProto { Name = "x_QuantizeLinear" });
        var context = Context(graph);

        ActivationQdqEmitter.Emit("x", context);

        Assert.Equal("x_QuantizeLinear_1", graph.Node[0].Name);
    }

    [Fact]
    public void Where_keeps_its_condition_and_quantizes_a_constant_value()
    {
        var graph = new GraphProto();
        var k = Floats("k", [0f, 1f], 2);
        var context = Context(graph, initializers: k);
        var where = new NodeProto { Name = "where", OpType = "Where" };
        where.Input.AddRange(["cond", "x_DequantizeLinear_Output", "k"]);

        QdqEmitters.For(QuantPattern.Where).Emit(where, ["cond", "x", "k"], context);

        Assert.Equal(["cond", "x_DequantizeLinear_Output", "k_quantized_DequantizeLinear_Output"], where.Input);
    }
}
