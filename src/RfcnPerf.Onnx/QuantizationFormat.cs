namespace RfcnPerf.Onnx;

/// <summary>How a model is quantized, as ONNX Runtime's quantization tool names the formats.</summary>
public enum QuantizationFormat
{
    /// <summary>No quantized operators and no Quantize/DequantizeLinear pairs.</summary>
    None,

    /// <summary>Quantized operators (QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger, com.microsoft QLinear*).</summary>
    QOperator,

    /// <summary>Float operators wrapped in QuantizeLinear/DequantizeLinear pairs.</summary>
    QDQ,
}
