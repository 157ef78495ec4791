using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// MatMul (MatMulSelector -> QLinearMatMul): a constant B [K, N] int8 per column N (axis 1, which QLinearMatMul
/// accepts for a 2-D B; one scale otherwise), a constant A quantized like an activation.
/// </summary>
internal sealed class MatMulEmitter : IQdqEmitter
{
    /// <inheritdoc/>
    public void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context)
    {
        for (var i = 0; i < sourceInputs.Count; i++)
        {
            if (context.Initializers.TryGetValue(sourceInputs[i], out var init))
            {
                node.Input[i] = i == 1
                    ? WeightEmitter.Emit(sourceInputs[i], init, init.Dims.Count == 2 ? 1 : null, context).Name
                    : ConstantEmitter.Emit(sourceInputs[i], init, context);
            }
        }
    }
}
