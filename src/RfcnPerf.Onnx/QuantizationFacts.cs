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
            "the QOperator format (integer operators such as QLinearConv with the scales, zero points and integer types its producer chose, and QuantizeLinear/DequantizeLinear around every op left in float); " +
            "ONNX Runtime runs such a file as written, and its x86-64 integer kernels are fast for uint8 activations with int8 weights (U8S8): int8 activations (S8S8) or float ops between the integer ones can make it slower than FP32",
        QuantizationFormat.QDQ =>
            "the QDQ format (QuantizeLinear/DequantizeLinear around float operators, which ONNX Runtime fuses into integer kernels where its QDQ selectors match; on x86-64 the VNNI kernels run uint8 activations with int8 weights (U8S8), while int8 activations leave most Conv nodes in float)",
        _ => null,
    };
}
