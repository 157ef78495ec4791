using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>What every emitter reads (all fixed for one build) and the one graph builder they all write into.</summary>
/// <param name="Writer">The graph builder.</param>
/// <param name="Scales">The activations' parameters.</param>
/// <param name="Initializers">The source graph's initializers by name.</param>
/// <param name="PerChannel">Weights get one scale per output channel (the graph is at opset 13 or later).</param>
/// <param name="UnsignedActivations">Activations and constants are uint8 (else int8).</param>
/// <param name="Source">The model's path, for errors.</param>
internal sealed record QdqEmitContext(
    QdqGraphWriter Writer,
    ActivationScales Scales,
    IReadOnlyDictionary<string, TensorProto> Initializers,
    bool PerChannel,
    bool UnsignedActivations,
    string Source)
{
    /// <summary>The element type of quantized activations and constants.</summary>
    public OnnxElementType ActivationType => UnsignedActivations ? OnnxElementType.UInt8 : OnnxElementType.Int8;

    /// <summary>The float values of initializer <paramref name="name"/>, refused naming its <paramref name="role"/> when unreadable.</summary>
    public double[] ReadFloats(string name, TensorProto init, string role) =>
        TensorData.ReadFloats(init, checked((int)TensorData.ElementCount(init)))
        ?? throw new OnnxModelException($"{Source}: {role} '{name}' has no readable float data.");
}
