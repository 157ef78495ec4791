using RfcnPerf.Onnx;

namespace RfcnPerf.Quantization.Tests;

/// <summary>Small FP32 graphs the quantizer tests build with <see cref="OnnxGraphBuilder"/> (deterministic: seeded weights).</summary>
internal static class QdqTestModels
{
    /// <summary>
    /// x -> Conv -> c1 -> SiLU (Sigmoid, Mul) -> m1 -> MaxPool -> p1; Concat(m1, p1) -> Conv 1x1 -> c2 -> Relu
    /// -> r2; Add(r2, m1) -> a -> Resize x2 (nearest) -> y -> Sigmoid -> z (graph output).
    /// </summary>
    internal static string Backbone(string dir, bool initializersAsInputs = false, long opset = 17)
    {
        var rng = new Random(3);
        float[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        var path = Path.Combine(dir, $"backbone-{opset}-{initializersAsInputs}.onnx");
        new OnnxGraphBuilder(opset: opset, irVersion: opset >= 13 ? 8 : 6) { ListInitializersAsInputs = initializersAsInputs }
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w1", Values(4 * 3 * 9, 1), 4, 3, 3, 3)
            .Initializer("b1", Values(4, 0.2), 4)
            .Initializer("w2", Values(4 * 8, 1), 4, 8, 1, 1)
            .Initializer("b2", Values(4, 0.2), 4)
            .Initializer("roi", Array.Empty<float>(), 0)
            .Initializer("scales", [1f, 1f, 2f, 2f], 4)
            .Conv("x", "w1", "b1", "c1", pad: 1)
            .Node("Sigmoid", ["c1"], ["s1"])
            .Node("Mul", ["c1", "s1"], ["m1"])
            .Node("MaxPool", ["m1"], ["p1"], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1))
            .Concat("cat", 1, "m1", "p1")
            .Conv("cat", "w2", "b2", "c2")
            .Relu("c2", "r2")
            .Add("r2", "m1", "a")
            .Node("Resize", ["a", "roi", "scales"], ["y"], OnnxAttribute.String("mode", "nearest"))
            .Node("Sigmoid", ["y"], ["z"])
            .Output("z", OnnxElementType.Float, 1, 4, 16, 16)
            .Save(path);
        return path;
    }

    /// <summary>x -> Conv (w1) -> c1; x -> Conv (w3, 4x the magnitude) -> c3; Concat(c1, c3) -> cat -> Conv 1x1 -> c4 -> Sigmoid -> z.</summary>
    internal static string TwoRangeConcat(string dir)
    {
        var rng = new Random(5);
        float[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        var path = Path.Combine(dir, "two-range-concat.onnx");
        new OnnxGraphBuilder(opset: 17, irVersion: 8)
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w1", Values(4 * 3 * 9, 1), 4, 3, 3, 3)
            .Initializer("w3", Values(4 * 3 * 9, 4), 4, 3, 3, 3)
            .Initializer("w4", Values(4 * 8, 1), 4, 8, 1, 1)
            .Conv("x", "w1", null, "c1", pad: 1)
            .Conv("x", "w3", null, "c3", pad: 1)
            .Concat("cat", 1, "c1", "c3")
            .Conv("cat", "w4", null, "c4")
            .Node("Sigmoid", ["c4"], ["z"])
            .Output("z", OnnxElementType.Float, 1, 4, 8, 8)
            .Save(path);
        return path;
    }

    /// <summary>
    /// x [2, 8] -> Gemm (W [6, 8], C [6], transB) -> g -> Relu -> r -> MatMul (B [6, 5]) -> m; Greater(m, 0) -> pos;
    /// Mul(m, 0.1) -> small; Where(pos, m, small) -> w -> Gemm (W2 [5, 3], no C, no transB) -> h -> Sigmoid -> y.
    /// </summary>
    internal static string Dense(string dir, float beta = 1f)
    {
        var rng = new Random(11);
        float[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        var path = Path.Combine(dir, $"dense-{beta}.onnx");
        new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", OnnxElementType.Float, 2, 8)
            .Initializer("W", Values(6 * 8, 1), 6, 8)
            .Initializer("C", Values(6, 0.4), 6)
            .Initializer("B", Values(6 * 5, 1), 6, 5)
            .Initializer("W2", Values(5 * 3, 1), 5, 3)
            .Initializer("zero", [0f])
            .Initializer("tenth", [0.1f])
            .Node("Gemm", ["x", "W", "C"], ["g"], OnnxAttribute.Int("transB", 1), OnnxAttribute.Float("beta", beta))
            .Relu("g", "r")
            .Node("MatMul", ["r", "B"], ["m"])
            .Node("Greater", ["m", "zero"], ["pos"])
            .Node("Mul", ["m", "tenth"], ["small"])
            .Node("Where", ["pos", "m", "small"], ["w"])
            .Node("Gemm", ["w", "W2"], ["h"])
            .Node("Sigmoid", ["h"], ["y"])
            .Output("y", OnnxElementType.Float, 2, 3)
            .Save(path);
        return path;
    }
}
