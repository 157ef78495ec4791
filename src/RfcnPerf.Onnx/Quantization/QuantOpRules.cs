namespace RfcnPerf.Onnx.Quantization;

/// <summary>How an operator is wrapped in QuantizeLinear/DequantizeLinear so ONNX Runtime's QDQ transformers fuse it.</summary>
internal enum QuantPattern
{
    /// <summary>DQ(x), DQ(int8 per-channel weights), optional DQ(int32 bias), Q(y): ConvSelector -> QLinearConv.</summary>
    Conv,

    /// <summary>DQ(a), DQ(b), Q(y): MatMulSelector -> QLinearMatMul (initializer b: int8 per-tensor).</summary>
    MatMul,

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
/// The quantizer's operator knowledge in one table, keyed by op type, modelled on ONNX Runtime's QDQ selector
/// registry (onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selector_action_transformer.cc:
/// ConvQDQRules, MatMulQDQRules, UnaryOpQDQRules, BinaryOpQDQRules, VariadicOpQDQRules, DropQDQNodesRules,
/// SplitQDQRules). An op that is not here stays FP32. Only the first input of a <see cref="QuantPattern.SharedScale"/>
/// op is data; its other inputs (shapes, indices, scales) are left alone.
/// </summary>
internal static class QuantOpRules
{
    public static IReadOnlyDictionary<string, QuantRule> ByOpType { get; } = new Dictionary<string, QuantRule>(StringComparer.Ordinal)
    {
        ["Conv"] = new(QuantPattern.Conv, "QLinearConv"),
        ["MatMul"] = new(QuantPattern.MatMul, "QLinearMatMul"),
        ["Sigmoid"] = new(QuantPattern.Unary, "QLinearSigmoid"),
        ["LeakyRelu"] = new(QuantPattern.Unary, "QLinearLeakyRelu"),
        ["AveragePool"] = new(QuantPattern.Unary, "QLinearAveragePool"),
        ["GlobalAveragePool"] = new(QuantPattern.Unary, "QLinearGlobalAveragePool"),
        ["Softmax"] = new(QuantPattern.Unary, "QLinearSoftmax"),
        ["Add"] = new(QuantPattern.Binary, "QLinearAdd"),
        ["Mul"] = new(QuantPattern.Binary, "QLinearMul"),
        ["Concat"] = new(QuantPattern.Variadic, "QLinearConcat"),
        ["MaxPool"] = new(QuantPattern.SharedScale, "MaxPool (uint8)"),
        ["Resize"] = new(QuantPattern.SharedScale, "Resize (uint8)"),
        ["Reshape"] = new(QuantPattern.SharedScale, "Reshape (uint8)"),
        ["Slice"] = new(QuantPattern.SharedScale, "Slice (uint8)"),
        ["Split"] = new(QuantPattern.SharedScale, "Split (uint8)"),
        ["Transpose"] = new(QuantPattern.SharedScale, "Transpose (uint8)"),
        ["Squeeze"] = new(QuantPattern.SharedScale, "Squeeze (uint8)"),
        ["Unsqueeze"] = new(QuantPattern.SharedScale, "Unsqueeze (uint8)"),
        ["Flatten"] = new(QuantPattern.SharedScale, "Flatten (uint8)"),
        ["Gather"] = new(QuantPattern.SharedScale, "Gather (uint8)"),
        ["Expand"] = new(QuantPattern.SharedScale, "Expand (uint8)"),
        ["Tile"] = new(QuantPattern.SharedScale, "Tile (uint8)"),
        ["Relu"] = new(QuantPattern.FusedActivation, "fused into the producer's QLinearConv"),
        ["Clip"] = new(QuantPattern.FusedActivation, "fused into the producer's QLinearConv"),
    };

    /// <summary>The rule for a default-domain node, or null when the op stays FP32.</summary>
    public static QuantRule? For(string domain, string opType) =>
        domain is "" or "ai.onnx" && ByOpType.TryGetValue(opType, out var rule) ? rule : null;
}
