using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Writes what one quantized node's pattern needs in front of it (int8 weights, int32 biases, quantized constants,
/// each behind its DequantizeLinear) and points the node's inputs at them. The activation pairs around the node
/// are not its business: the plan marks them and <see cref="ActivationQdqEmitter"/> writes them after their producer.
/// Emitters hold no state; everything they write goes through <see cref="QdqEmitContext.Writer"/>.
/// </summary>
internal interface IQdqEmitter
{
    /// <summary>
    /// Writes for <paramref name="node"/> (its activation inputs already renamed to their dequantized copies),
    /// whose inputs in the source graph were <paramref name="sourceInputs"/>.
    /// </summary>
    void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context);
}
