namespace RfcnPerf.Onnx;

/// <summary>
/// Quantization slot of an op, named after ONNX Runtime's QDQ selector groups
/// (onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selector_action_transformer.cc): the group
/// says which DQ -> op -> Q pattern ORT's CPU provider fuses into an integer kernel. Checked against ORT 1.31's
/// optimized graphs by the quantizer's tests (Quantization/QdqPlacementTests): an op ORT has no CPU QDQ rule
/// for (Tanh, Sub, Max, ...) is <see cref="Unspecified"/>, since wrapping it in Q/DQ only adds work.
/// Quantization/QuantOpRules maps each group to where the quantizer puts Q/DQ pairs.
/// </summary>
public enum QdqGroup
{
    /// <summary>No entry yet: a quantizer leaves the op in float (DQ before, Q after).</summary>
    Unspecified,

    /// <summary>Data movement: ORT drops the DQ/Q pair around it (same scale in and out).</summary>
    DropQdq,

    /// <summary>
    /// Relu/Clip after a quantized Conv: ORT's ReluQuantFusion/ClipQuantFusion folds the activation into the Q
    /// that follows it (the Q's clamp at the zero point does its work), so only its output is quantized.
    /// </summary>
    FusedActivation,

    /// <summary>Reads quantized data, output not quantized (ArgMax/ArgMin): ORT drops the DQ.</summary>
    DropDq,

    /// <summary>One quantized input, one quantized output.</summary>
    Unary,

    /// <summary>Two quantized inputs, one quantized output.</summary>
    Binary,

    /// <summary>Any number of quantized inputs, one quantized output.</summary>
    Variadic,

    /// <summary>Quantized activations and weights, bias as int32.</summary>
    Conv,

    /// <summary>Quantized A and B.</summary>
    MatMul,

    /// <summary>Quantized A and B, bias as int32.</summary>
    Gemm,

    /// <summary>Quantized X and Y, condition as bool.</summary>
    Where,

    /// <summary>Normalisation ops (float statistics; quantized in and out where the kernel exists).</summary>
    Normalization,

    /// <summary>QuantizeLinear / DequantizeLinear themselves (QDQ format marker).</summary>
    QuantizeDequantize,

    /// <summary>An operator that is already quantized (QOperator format: QLinear*, ConvInteger, MatMulInteger).</summary>
    QOperator,
}
