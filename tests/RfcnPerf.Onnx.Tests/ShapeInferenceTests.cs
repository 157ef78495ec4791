using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// Static shape inference checked against the authority: for each small graph, every output shape RfcnPerf
/// infers must equal the shape ONNX Runtime produces when it runs the graph.
/// </summary>
public sealed class ShapeInferenceTests
{
    private static readonly Dictionary<string, Func<OnnxGraphBuilder>> Cases = new()
    {
        ["MaxPool ceil_mode and AveragePool"] = () => Image()
            .Node("MaxPool", ["x"], ["a"], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Int("ceil_mode", 1))
            .Node("AveragePool", ["x"], ["b"], OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 1, 1, 0, 0))
            .Node("GlobalAveragePool", ["x"], ["c"])
            .Outputs("a", "b", "c"),
        ["Split opset 11 attribute"] = () => Image(11)
            .Node("Split", ["x"], ["a", "b"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Ints("split", 1, 2))
            .Outputs("a", "b"),
        ["Split opset 13 input and equal"] = () => Image(13)
            .Initializer("sizes", [3L, 5L], 2)
            .Node("Split", ["x", "sizes"], ["a", "b"], OnnxAttribute.Int("axis", 2))
            .Node("Split", ["x"], ["c", "d"], OnnxAttribute.Int("axis", 3))
            .Outputs("a", "b", "c", "d"),
        ["Split opset 18 num_outputs uneven"] = () => Image(18)
            .Node("Split", ["x"], ["a", "b"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("num_outputs", 2))
            .Outputs("a", "b"),
        ["Resize scales and sizes, Upsample"] = () => Image(11)
            .Initializer("roi", Array.Empty<float>(), 0)
            .Initializer("scales", [1f, 1f, 2f, 1.5f], 4)
            .Initializer("sizes", [1L, 3L, 5L, 7L], 4)
            .Node("Resize", ["x", "roi", "scales"], ["a"], OnnxAttribute.String("mode", "nearest"))
            .Node("Resize", ["x", "roi", "roi", "sizes"], ["b"], OnnxAttribute.String("mode", "linear"))
            .Outputs("a", "b"),
        ["Shape-Gather-Unsqueeze-Concat-Reshape folding"] = () => Image(13)
            .Node("Shape", ["x"], ["s"])
            .Initializer("i0", [0L], 1)
            .Node("Gather", ["s", "i0"], ["n"], OnnxAttribute.Int("axis", 0))
            .Initializer("minus1", [-1L], 1)
            .Concat("target", 0, "n", "minus1")
            .Reshape("x", "target", "a")
            .Initializer("i1", 1L)
            .Node("Gather", ["s", "i1"], ["c"], OnnxAttribute.Int("axis", 0))
            .Initializer("ax0", [0L], 1)
            .Node("Unsqueeze", ["c", "ax0"], ["c1"])
            .Initializer("two", [2L], 1)
            .Node("Mul", ["c1", "two"], ["c2"])
            .Concat("target2", 0, "n", "c2", "minus1")
            .Reshape("x", "target2", "b")
            .Outputs("a", "b"),
        ["Transpose Flatten Squeeze Unsqueeze Slice"] = () => Image(13)
            .Node("Transpose", ["x"], ["a"], OnnxAttribute.Ints("perm", 0, 2, 3, 1))
            .Node("Flatten", ["x"], ["b"], OnnxAttribute.Int("axis", 2))
            .Initializer("ax", [0L, 4L], 2)
            .Node("Unsqueeze", ["x", "ax"], ["c"])
            .Initializer("sq", [0L], 1)
            .Node("Squeeze", ["x", "sq"], ["d"])
            .Initializer("st", [-1L, 1L], 2)
            .Initializer("en", [long.MinValue, 100L], 2)
            .Initializer("sa", [2L, 3L], 2)
            .Initializer("sp", [-2L, 3L], 2)
            .Node("Slice", ["x", "st", "en", "sa", "sp"], ["e"])
            .Outputs("a", "b", "c", "d", "e"),
        ["Conv auto_pad, dilations, ConvTranspose output_padding"] = () => Image()
            .Initializer("w", new float[5 * 3 * 3 * 3], 5, 3, 3, 3)
            .Node("Conv", ["x", "w"], ["a"], OnnxAttribute.String("auto_pad", "SAME_UPPER"), OnnxAttribute.Ints("strides", 2, 2))
            .Node("Conv", ["x", "w"], ["b"], OnnxAttribute.Ints("dilations", 2, 2), OnnxAttribute.Ints("pads", 1, 2, 1, 2))
            .Initializer("tw", new float[3 * 2 * 3 * 3], 3, 2, 3, 3)
            .Node("ConvTranspose", ["x", "tw"], ["c"], OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("output_padding", 1, 0), OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Int("group", 1))
            .Outputs("a", "b", "c"),
        ["Gemm transposes and MatMul broadcasting"] = () => new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 2, 1, 4, 6)
            .Initializer("m", new float[3 * 6 * 5], 3, 6, 5)
            .Node("MatMul", ["x", "m"], ["a"])
            .Initializer("v", new float[6], 6)
            .Node("MatMul", ["x", "v"], ["b"])
            .Initializer("ga", new float[6 * 4], 6, 4)
            .Initializer("gb", new float[5 * 6], 5, 6)
            .Node("Gemm", ["ga", "gb"], ["c"], OnnxAttribute.Int("transA", 1), OnnxAttribute.Int("transB", 1))
            .Node("Add", ["c", "a"], ["d"])
            .Outputs("a", "b", "d"),
        ["Quantized ops of NanoDet INT8 (QOperator, com.microsoft)"] = () => Image()
            .Opset("com.microsoft", 1)
            .Initializer("s0", [0.1f])
            .Initializer("zp0", OnnxElementType.UInt8, [128])
            .Node("QuantizeLinear", ["x", "s0", "zp0"], ["q"])
            .Initializer("w", OnnxElementType.UInt8, new byte[4 * 3 * 3 * 3], 4, 3, 3, 3)
            .Node("QLinearConv", ["q", "s0", "zp0", "w", "s0", "zp0", "s0", "zp0"], ["qc"], OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Ints("strides", 2, 2))
            .Node("com.microsoft", "QLinearLeakyRelu", ["qc", "s0", "zp0", "s0", "zp0"], ["ql"], OnnxAttribute.Float("alpha", 0.1f))
            .Node("com.microsoft", "QLinearAdd", ["ql", "s0", "zp0", "ql", "s0", "zp0", "s0", "zp0"], ["qa"])
            .Node("com.microsoft", "QLinearConcat", ["s0", "zp0", "qa", "s0", "zp0", "qc", "s0", "zp0"], ["qcat"], OnnxAttribute.Int("axis", 1))
            .Node("com.microsoft", "QLinearSigmoid", ["qcat", "s0", "zp0", "s0", "zp0"], ["qs"])
            .Node("DequantizeLinear", ["qs", "s0", "zp0"], ["dq"])
            .Initializer("mw", OnnxElementType.UInt8, new byte[4 * 6], 4, 6)
            .Node("QLinearMatMul", ["qa", "s0", "zp0", "mw", "s0", "zp0", "s0", "zp0"], ["qm"])
            .Outputs("dq", "qm"),
        ["Pad Reduce ArgMax TopK Softmax"] = () => Image(13)
            .Initializer("pads", [0L, 0L, 1L, 2L, 0L, 0L, 3L, 4L], 8)
            .Node("Pad", ["x", "pads"], ["a"])
            .Node("ReduceMean", ["x"], ["b"], OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0))
            .Initializer("rax", [1L], 1)
            .Node("ReduceSum", ["x", "rax"], ["c"])
            .Node("ArgMax", ["x"], ["d"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0))
            .Initializer("k", [5L], 1)
            .Node("TopK", ["x", "k"], ["e", "f"])
            .Node("Softmax", ["x"], ["g"], OnnxAttribute.Int("axis", 1))
            .Outputs("a", "b", "c", "d", "e", "f", "g"),
        ["Expand Tile ConstantOfShape Range Where"] = () => Image(13)
            .Initializer("es", [2L, 1L, 1L, 1L], 4)
            .Node("Expand", ["x", "es"], ["a"])
            .Initializer("reps", [1L, 2L, 1L, 3L], 4)
            .Node("Tile", ["x", "reps"], ["b"])
            .Node("Shape", ["x"], ["s"])
            .Node("ConstantOfShape", ["s"], ["c"])
            .Initializer("r0", 2L)
            .Initializer("r1", 11L)
            .Initializer("r2", 3L)
            .Node("Range", ["r0", "r1", "r2"], ["d"])
            .Node("Greater", ["x", "c"], ["m"])
            .Node("Where", ["m", "x", "c"], ["e"])
            .Outputs("a", "b", "c", "d", "e"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void InferredShapes_EqualOnnxRuntimeShapes(string name)
    {
        var model = OnnxModelFile.Parse(Cases[name]().ToBytes(), name);
        var facts = GraphShapeInference.Run(model, (_, _, _) => null);

        // Outputs are declared without shape; their element type (required by ONNX) comes from our inference.
        foreach (var output in model.Graph.Output)
        {
            output.Type.TensorType.ElemType = facts.TryGetValue(output.Name, out var f) ? f.ElemType : (int)OnnxElementType.Float;
        }

        var bytes = OnnxModelFile.ToBytes(model);

        using var session = Ort.Session(bytes);
        var input = model.Graph.Input[0];
        var dims = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        using var x = OrtValue.CreateTensorValueFromMemory(Ort.DeterministicInput((int)TensorFacts.Product(dims), seed: 5), dims);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [input.Name], [x], session.OutputNames);

        for (var i = 0; i < outputs.Count; i++)
        {
            var outputName = session.OutputNames[i];
            var expected = outputs[i].GetTensorTypeAndShape().Shape;
            Assert.True(facts.TryGetValue(outputName, out var inferred) && inferred.Shape is not null, $"{name}: no shape inferred for {outputName}");
            Assert.True(expected.SequenceEqual(inferred!.Shape!), $"{name}: {outputName} inferred [{string.Join(",", inferred.Shape!)}], ONNX Runtime [{string.Join(",", expected)}]");
        }
    }

    private static OnnxGraphBuilder Image(long opset = 17) =>
        new OnnxGraphBuilder(opset: opset).Input("x", OnnxElementType.Float, 1, 3, 8, 8);
}
