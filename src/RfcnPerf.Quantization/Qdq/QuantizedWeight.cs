namespace RfcnPerf.Quantization.Qdq;

/// <summary>An int8 weight written to the graph.</summary>
/// <param name="Name">The float output of its DequantizeLinear (what the node reads instead of the weight).</param>
/// <param name="Scales">Its scales: one per output channel, or one.</param>
internal sealed record QuantizedWeight(string Name, float[] Scales);
