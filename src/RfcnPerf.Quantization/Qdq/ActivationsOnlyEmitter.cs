using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Unary ops (QLinearSigmoid, ...), data movement that ORT runs on uint8 (its outputs share the input's scale: the
/// plan's <see cref="QdqPlan.SharesWith"/>) and Relu/Clip folded into the next QuantizeLinear: no constant input to
/// quantize, so nothing is written in front of the node; its Q/DQ pairs are the activation pairs the plan marked.
/// </summary>
internal sealed class ActivationsOnlyEmitter : IQdqEmitter
{
    /// <inheritdoc/>
    public void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context)
    {
    }
}
