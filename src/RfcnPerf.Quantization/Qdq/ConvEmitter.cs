using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Conv (ConvSelector -> QLinearConv): weights [M, C/g, k...] int8 per output channel M (axis 0), the optional bias
/// int32. The plan only quantizes a Conv whose weights and bias are float initializers.
/// </summary>
internal sealed class ConvEmitter : IQdqEmitter
{
    /// <inheritdoc/>
    public void Emit(NodeProto node, IReadOnlyList<string> sourceInputs, QdqEmitContext context)
    {
        var weight = WeightEmitter.Emit(sourceInputs[1], context.Initializers[sourceInputs[1]], outputAxis: 0, context);
        node.Input[1] = weight.Name;
        BiasEmitter.EmitIfPresent(node, sourceInputs, weight.Scales, context);
    }
}
