namespace RfcnPerf.Quantization.Qdq;

/// <summary>A node that stays FP32 in the quantized model.</summary>
/// <param name="Name">Node name.</param>
/// <param name="OpType">Op type.</param>
/// <param name="Reason">Why it is not quantized.</param>
public sealed record Fp32Node(string Name, string OpType, string Reason);
