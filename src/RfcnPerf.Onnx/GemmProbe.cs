namespace RfcnPerf.Onnx;

/// <summary>
/// One-node matrix-multiply models that measure ONNX Runtime's own GEMM ceiling (<c>rfcnperf machine</c>): the
/// rate its CPU kernels (MLAS) reach on a large, compute-bound problem, which is what the convolutions and matrix
/// products of our models run on. Activations A [M, K] are the graph input, weights B [K, N] an initializer, as in
/// a model, so ONNX Runtime pre-packs B once when the session is created and a run times the kernel alone.
/// </summary>
public static class GemmProbe
{
    /// <summary>Name of the A input of both models.</summary>
    public const string Input = "a";

    /// <summary>Name of the output of both models.</summary>
    public const string Output = "c";

    // The activation zero point of the INT8 model: a uint8 activation quantized asymmetrically, as our QDQ
    // models' activations are (ONNX Runtime's U8S8 path), so MLAS also pays its zero-point correction.
    private const byte ActivationZeroPoint = 128;

    /// <summary>Operations of one run: 2 per multiply-accumulate.</summary>
    public static double Operations(int m, int k, int n) => 2.0 * m * k * n;

    /// <summary>FP32 <c>MatMul</c>: float A [M, K] input x float B [K, N] initializer -> float C [M, N].</summary>
    public static byte[] Float(int m, int k, int n)
    {
        var b = new float[(long)k * n];
        var random = new Random(1);
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = (float)(random.NextDouble() - 0.5);
        }

        return new OnnxGraphBuilder("gemm_probe_fp32")
            .Input(Input, OnnxElementType.Float, m, k)
            .Initializer("b", b, k, n)
            .Node("MatMul", [Input, "b"], [Output])
            .Output(Output, OnnxElementType.Float, m, n)
            .ToBytes();
    }

    /// <summary>
    /// INT8 <c>MatMulInteger</c>: uint8 A [M, K] input (zero point 128) x int8 B [K, N] initializer (symmetric, zero
    /// point 0, as our quantizer writes weights) -> int32 C [M, N]; ONNX Runtime runs it on MLAS's U8S8 QGEMM.
    /// </summary>
    public static byte[] UInt8Int8(int m, int k, int n)
    {
        var b = new byte[(long)k * n];
        new Random(1).NextBytes(b);
        for (var i = 0; i < b.Length; i++)
        {
            // int8 in [-127, 127], as a symmetric quantizer writes them (-128 unused).
            if (b[i] == 0x80)
            {
                b[i] = 0x81;
            }
        }

        return new OnnxGraphBuilder("gemm_probe_u8s8")
            .Input(Input, OnnxElementType.UInt8, m, k)
            .Initializer("b", OnnxElementType.Int8, b, k, n)
            .Initializer("a_zero_point", OnnxElementType.UInt8, [ActivationZeroPoint])
            .Node("MatMulInteger", [Input, "b", "a_zero_point"], [Output])
            .Output(Output, OnnxElementType.Int32, m, n)
            .ToBytes();
    }
}
