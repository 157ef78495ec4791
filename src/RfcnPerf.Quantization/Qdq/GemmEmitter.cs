using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Gemm (GemmSelector -> com.microsoft QGemm): a constant B int8 per column of the output (axis 0 of B when transB,
/// else 1), an activation B through its own Q/DQ pair; the optional C int32 at A scale x B scale per column (the
/// plan only takes a C of the output's width with beta 1).
/// </summary>
internal sealed class GemmEmitter : IQdqEmitter
{
    /// <inheritdoc/>
    public void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context)
    {
        float[] weightScales;
        if (context.Initializers.TryGetValue(sourceInputs[1], out var b))
        {
            var weight = WeightEmitter.Emit(sourceInputs[1], b, NodeAttributes.Int(node, "transB", 0) == 0 ? 1 : 0, context);
            node.Input[1] = weight.Name;
            weightScales = weight.Scales;
        }
        else
        {
            weightScales = [context.Scales.Of(sourceInputs[1]).Scale];
        }

        BiasEmitter.EmitIfPresent(node, sourceInputs, weightScales, context);
    }
}
