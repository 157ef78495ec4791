using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Binary ops (QLinearAdd/QLinearMul), Concat (QLinearConcat) and Where's X and Y (QLinearWhere): every input is
/// data behind a DequantizeLinear, so a constant one from <paramref name="firstDataInput"/> on is quantized like an
/// activation (<see cref="ConstantEmitter"/>); activation inputs already have their pairs.
/// </summary>
/// <param name="firstDataInput">The first input that is data (1 for Where, whose condition is bool).</param>
internal sealed class ConstantInputsEmitter(int firstDataInput) : IQdqEmitter
{
    /// <inheritdoc/>
    public void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context)
    {
        for (var i = firstDataInput; i < sourceInputs.Count; i++)
        {
            if (context.Initializers.TryGetValue(sourceInputs[i], out var init))
            {
                node.Input[i] = ConstantEmitter.Emit(sourceInputs[i], init, context);
            }
        }
    }
}
