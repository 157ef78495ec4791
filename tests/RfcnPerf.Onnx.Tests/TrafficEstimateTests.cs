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
        QdqConv(new OnnxGraphBuilder())
            .Output("y", OnnxElementType.Float, 1, 4, 8, 8)
            .Save(path);

        var compute = ModelInfo.Read(path).Compute;

        // Weights as stored (int8 and the scalars); the Q of the input reads x in float and writes 8 bits, the Conv
        // reads 8 bits and writes 8 bits (its Q is fused), the last DQ reads 8 bits and writes the float output.
        Assert.Equal((4 * 3 * 9) + 4 + 4 + 1 + 1, compute.WeightBytes);
        Assert.Equal((3 * 64 * 4) + (3 * 64) + (3 * 64) + (4 * 64) + (4 * 64) + (4 * 64 * 4), compute.ActivationBytesPerImage);
    }

    [Fact]
    public void A_quantize_next_to_a_float_consumer_runs_on_its_own_and_the_tensor_stays_float()
    {
        // As above, but c also feeds Tanh (a float op): the Conv writes c in float, and the Q reads it and writes cq.
        var path = Path.Combine(dir, "qdq-float-consumer.onnx");
        QdqConv(new OnnxGraphBuilder())
            .Node("Tanh", ["c"], ["t"])
            .Output("y", OnnxElementType.Float, 1, 4, 8, 8)
            .Output("t", OnnxElementType.Float, 1, 4, 8, 8)
            .Save(path);

        var compute = ModelInfo.Read(path).Compute;

        Assert.Equal(
            (3 * 64 * 4) + (3 * 64) // Q of the input
            + (3 * 64) + (4 * 64 * 4) // Conv: 8-bit in, float out
            + (4 * 64 * 4) + (4 * 64) // Q of c
            + (4 * 64) + (4 * 64 * 4) // DQ to the graph output
            + (4 * 64 * 4) + (4 * 64 * 4), // Tanh
            compute.ActivationBytesPerImage);
    }

    [Fact]
    public void Qdq_around_an_op_without_a_quantized_kernel_really_runs()
    {
        // x -> Q -> DQ -> Tanh -> Q -> DQ -> y: ORT has no QDQ rule for Tanh, so every Q and DQ converts.
        var path = Path.Combine(dir, "qdq-tanh.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("s", [0.05f])
            .Initializer("zp", OnnxElementType.UInt8, [128])
            .Node("QuantizeLinear", ["x", "s", "zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zp"], ["xd"])
            .Node("Tanh", ["xd"], ["t"])
            .Node("QuantizeLinear", ["t", "s", "zp"], ["tq"])
            .Node("DequantizeLinear", ["tq", "s", "zp"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 3, 8, 8)
            .Save(path);

        var compute = ModelInfo.Read(path).Compute;

        const int Float = 3 * 64 * 4, Byte = 3 * 64;
        Assert.Equal((Float + Byte) + (Byte + Float) + (Float + Float) + (Float + Byte) + (Byte + Float), compute.ActivationBytesPerImage);
    }

    // x -> Q -> DQ; int8 w -> DQ; Conv -> c -> Q -> DQ -> y. The caller adds the outputs.
    private static OnnxGraphBuilder QdqConv(OnnxGraphBuilder builder) => builder
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
        .Node("DequantizeLinear", ["cq", "s", "zp"], ["y"]);
}
