namespace RfcnPerf.Quantization.Qdq;

/// <summary>The result of <see cref="QdqQuantizer.Build"/>.</summary>
/// <param name="Bytes">The serialized QDQ model.</param>
/// <param name="QuantizedNodes">Nodes wrapped in Q/DQ.</param>
/// <param name="QuantizedActivations">Activations with a Q/DQ pair.</param>
/// <param name="QuantizedWeights">Weight tensors stored as int8.</param>
/// <param name="QuantizedByOp">Quantized nodes per op type.</param>
/// <param name="Fp32Nodes">Nodes left FP32 and why.</param>
/// <param name="OpsetUpgraded">The graph was moved to opset 13 for per-channel weights.</param>
/// <param name="PerChannel">Weights have per-output-channel scales.</param>
/// <param name="Activations">Quantization parameters of every calibrated activation.</param>
public sealed record QuantizedModel(
    byte[] Bytes,
    int QuantizedNodes,
    int QuantizedActivations,
    int QuantizedWeights,
    IReadOnlyList<KeyValuePair<string, int>> QuantizedByOp,
    IReadOnlyList<Fp32Node> Fp32Nodes,
    bool OpsetUpgraded,
    bool PerChannel,
    IReadOnlyDictionary<string, QuantParams> Activations);
