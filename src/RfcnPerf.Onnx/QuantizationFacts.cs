namespace RfcnPerf.Onnx;

/// <summary>
/// What a quantization format is, as data for reports: the precision it implies and one sentence on how it is
/// built and how ONNX Runtime runs it on x86-64 (docs/INT8.md, docs/BENCHMARKING.md). Writers render these;
/// they do not write their own sentence per model.
/// </summary>
public static class QuantizationFacts
{
    /// <summary>The precision of a model in <paramref name="format"/> (the one place this is derived).</summary>
    public static ModelPrecision PrecisionOf(this QuantizationFormat format) =>
        format == QuantizationFormat.None ? ModelPrecision.FP32 : ModelPrecision.INT8;

    /// <summary>How the format is built and run, or null for an unquantized model.</summary>
    public static string? Describe(this QuantizationFormat format) => format switch
    {
        QuantizationFormat.QOperator =>
            "the QOperator format (QLinearConv with uint8 activations and int8 weights, plus QuantizeLinear/DequantizeLinear around every non-quantized op); " +
            "ONNX Runtime's x86-64 fast path is QDQ with signed int8 (S8S8), which the VNNI kernels run, so such a file pays conversions instead of gaining from VNNI",
        QuantizationFormat.QDQ =>
            "the QDQ format (QuantizeLinear/DequantizeLinear around float operators, which ONNX Runtime fuses into integer kernels; with signed int8 activations and weights the x86-64 VNNI kernels run them)",
        _ => null,
    };
}
