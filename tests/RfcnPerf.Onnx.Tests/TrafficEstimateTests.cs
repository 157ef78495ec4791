namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// The bytes a model call moves (the roofline's arithmetic intensity), on a float Conv and the same Conv in QDQ form:
/// the QDQ pairs are counted as ONNX Runtime fuses them, so the quantized call moves 8-bit activations.
/// </summary>
public sealed class TrafficEstimateTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-traffic-tests-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly float[] Weights = Enumerable.Range(0, 4 * 3 * 9).Select(i => (i % 7) - 3f).ToArray();

    [Fact]
    public void A_float_conv_moves_its_input_and_output_once_in_float()
    {
        var path = Path.Combine(dir, "float.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w", Weights, 4, 3, 3, 3)
            .Conv("x", "w", null, "y", pad: 1)
            .Output("y", OnnxElementType.Float, 1, 4, 8, 8)
            .Save(path);

        var compute = ModelInfo.Read(path).Compute;

        Assert.Equal(4 * 3 * 9 * 4, compute.WeightBytes);
        Assert.Equal((3 * 64 * 4) + (4 * 64 * 4), compute.ActivationBytesPerImage);
    }

    [Fact]
    public void A_qdq_conv_moves_8_bit_activations_and_only_the_unfused_quantize_and_dequantize_count()
    {
        // x -> Q -> xq -> DQ -> xd; w(int8) -> DQ -> wd; Conv(xd, wd) -> c -> Q -> cq -> DQ -> y (graph output).
        var path = Path.Combine(dir, "qdq.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w", OnnxElementType.Int8, [.. Weights.Select(v => (byte)(sbyte)v)], 4, 3, 3, 3)
            .Initializer("s", [0.05f])
            .Initializer("ws", [0.1f])
            .Initializer("zp", OnnxElementType.UInt8, [128])
            .Initializer("wzp", OnnxElementType.Int8, [0])
            .Node("QuantizeLinear", ["x", "s", "zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zp"], ["xd"])
            .Node("DequantizeLinear", ["w", "ws", "wzp"], ["wd"])
            .Conv("xd", "wd", null, "c", pad: 1)
            .Node("QuantizeLinear", ["c", "s", "zp"], ["cq"])
            .Node("DequantizeLinear", ["cq", "s", "zp"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 4, 8, 8)
            .Save(path);

        var compute = ModelInfo.Read(path).Compute;

        // Weights as stored (int8 and the scalars); the Q of the input reads x in float and writes 8 bits, the Conv
        // reads 8 bits and writes 8 bits (its Q is fused), the last DQ reads 8 bits and writes the float output.
        Assert.Equal((4 * 3 * 9) + 4 + 4 + 1 + 1, compute.WeightBytes);
        Assert.Equal((3 * 64 * 4) + (3 * 64) + (3 * 64) + (4 * 64) + (4 * 64) + (4 * 64 * 4), compute.ActivationBytesPerImage);
    }
}
