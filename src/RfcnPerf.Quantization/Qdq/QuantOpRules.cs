using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>How an operator is wrapped in QuantizeLinear/DequantizeLinear so ONNX Runtime's QDQ transformers fuse it.</summary>
internal enum QuantPattern
{
    /// <summary>DQ(x), DQ(int8 per-channel weights), optional DQ(int32 bias), Q(y): ConvSelector -> QLinearConv.</summary>
    Conv,

    /// <summary>DQ(a), DQ(b), Q(y): MatMulSelector -> QLinearMatMul (initializer b: int8, per column when 2-D).</summary>
    MatMul,

    /// <summary>DQ(A), DQ(B: int8 per output column), optional DQ(C: int32), Q(Y): GemmSelector -> com.microsoft QGemm.</summary>
    Gemm,

    /// <summary>bool condition as it is, DQ(X), DQ(Y), Q(output): WhereSelector -> com.microsoft QLinearWhere.</summary>
    Where,

    /// <summary>DQ(x), Q(y) with independent scales: UnarySelector -> com.microsoft QLinear op.</summary>
    Unary,

    /// <summary>DQ(a), DQ(b), Q(y): BinarySelector -> com.microsoft QLinearAdd/QLinearMul.</summary>
    Binary,

    /// <summary>DQ on every input, Q(y): InputVariadicSelector -> com.microsoft QLinearConcat.</summary>
    Variadic,

    /// <summary>
    /// Data movement (DropQDQNodesSelector, SplitSelector): ORT drops the DQ/Q pair and runs the op on uint8,
    /// which it only does when the output's scale and zero point equal the input's; so outputs share the
    /// input's parameters.
    /// </summary>
    SharedScale,

    /// <summary>
    /// Relu/Clip after a quantized Conv: only the activation's output is quantized, ORT's ReluQuantFusion then
    /// removes the activation (the Q's clamp does its work) and the Conv fuses with that Q.
    /// </summary>
    FusedActivation,
}

/// <summary>What the quantizer does with one op type and the kernel ONNX Runtime's CPU provider turns it into.</summary>
/// <param name="Pattern">Where the Q/DQ pairs go.</param>
/// <param name="Kernel">The int8 kernel ORT substitutes (what the fusion report looks for).</param>
internal sealed record QuantRule(QuantPattern Pattern, string Kernel);

/// <summary>
/// Where the quantizer puts Q/DQ pairs for an op: read from the quantization column of the one
/// <see cref="OperatorTable"/> (its <see cref="QdqGroup"/>, modelled on ONNX Runtime's QDQ selector registry,
/// qdq_selector_action_transformer.cc: ConvQDQRules, MatMulQDQRules, UnaryOpQDQRules, BinaryOpQDQRules,
/// VariadicOpQDQRules, DropQDQNodesRules, SplitQDQRules, GemmQDQRules, WhereQDQRules). An op whose group is
/// unspecified, or a group the quantizer does not write (normalisation: no CPU rule), stays FP32. Only the first input of a
/// <see cref="QuantPattern.SharedScale"/> op is data; its other inputs (shapes, indices, scales) are left alone.
/// </summary>
internal static class QuantOpRules
{
    /// <summary>The rule for a default-domain node, or null when the op stays FP32.</summary>
    public static QuantRule? For(string domain, string opType)
    {
        if (domain is not ("" or "ai.onnx"))
        {
            return null;
        }

        return OperatorTable.QuantizationOf(opType) switch
        {
            QdqGroup.Conv => new QuantRule(QuantPattern.Conv, "QLinearConv"),
            QdqGroup.MatMul => new QuantRule(QuantPattern.MatMul, "QLinearMatMul"),
            QdqGroup.Gemm => new QuantRule(QuantPattern.Gemm, "QGemm"),
            QdqGroup.Where => new QuantRule(QuantPattern.Where, "QLinearWhere"),
            QdqGroup.Unary => new QuantRule(QuantPattern.Unary, "QLinear" + opType),
            QdqGroup.Binary => new QuantRule(QuantPattern.Binary, "QLinear" + opType),
            QdqGroup.Variadic => new QuantRule(QuantPattern.Variadic, "QLinear" + opType),
            QdqGroup.DropQdq => new QuantRule(QuantPattern.SharedScale, opType + " on uint8"),
            QdqGroup.FusedActivation => new QuantRule(QuantPattern.FusedActivation, "folded into the following QuantizeLinear"),
            _ => null,
        };
    }

    /// <summary>
    /// Why ONNX Runtime's CPU provider keeps this particular node in float even though its op type has a QDQ rule
    /// (a condition on the node's attributes), or null. Quantizing such a node only adds a Q/DQ pair around a
    /// float op, so it stays FP32 and is listed with this reason.
    /// </summary>
    public static string? KeptFloatByOrt(NodeProto node)
    {
        // Resize: DropQDQNodeGroupSelector::Check refuses a Resize whose mode is not "nearest" (ORT PR #28414,
        // in 1.31): linear/cubic interpolation does not commute with quantization, so DQ -> Resize -> Q stays
        // float. Nearest (the default) only picks existing values and runs on uint8.
        if (node.OpType == "Resize" && NodeAttributes.String(node, "mode", "nearest") is var mode && mode != "nearest")
        {
            return $"Resize mode '{mode}': ONNX Runtime runs only nearest Resize on uint8 (linear/cubic interpolation stays float between DQ and Q)";
        }

        return null;
    }
}
