namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The plan's decision for one node of the source graph: quantized with <paramref name="Pattern"/> (the op's rule
/// in <see cref="QuantOpRules"/>), or kept FP32 for <paramref name="Fp32Reason"/>; exactly one of the two is set.
/// </summary>
/// <param name="Name">Node name.</param>
/// <param name="OpType">Op type.</param>
/// <param name="Pattern">Where its Q/DQ pairs go, when it is quantized.</param>
/// <param name="Fp32Reason">Why it stays FP32, when it does.</param>
internal sealed record NodePlan(string Name, string OpType, QuantPattern? Pattern, string? Fp32Reason)
{
    /// <summary>The node is quantized.</summary>
    public bool Quantized => Pattern is not null;
}
