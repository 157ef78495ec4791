namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// What the quantizer does to one graph, decided once by <see cref="QdqPlanner"/> before any range is known and
/// never changed afterwards: per node its pattern or the reason it stays FP32, the activations that get a Q/DQ
/// pair (in graph order), which of them take their scale from another tensor (outputs of data movement share their
/// input's, so ONNX Runtime can drop the pair), and the groups of tensors that share one scale so a Concat copies
/// bytes. The emitters read it; the calibrated ranges turn it into <see cref="ActivationScales"/>.
/// </summary>
/// <param name="Nodes">One decision per node of the source graph, in node order.</param>
/// <param name="Activations">Every quantized activation (graph inputs included), in graph order.</param>
/// <param name="SharesWith">Tensor -> the tensor whose scale and zero point it takes.</param>
/// <param name="ConcatScaleGroups">Roots that share one scale (the union of their ranges): empty unless
/// <see cref="QuantizeOptions.ConcatSharesScale"/>.</param>
internal sealed record QdqPlan(
    IReadOnlyList<NodePlan> Nodes,
    IReadOnlyList<string> Activations,
    IReadOnlyDictionary<string, string> SharesWith,
    IReadOnlyList<IReadOnlyList<string>> ConcatScaleGroups)
{
    private readonly HashSet<string> quantized = Activations.ToHashSet(StringComparer.Ordinal);

    /// <summary>Activations that need their own calibrated range (those sharing another's scale do not), in graph order.</summary>
    public IReadOnlyList<string> CalibrationTensors { get; } = Activations.Where(a => !SharesWith.ContainsKey(a)).ToList();

    /// <summary>Nodes that stay FP32 and why, in node order.</summary>
    public IReadOnlyList<Fp32Node> Fp32Nodes { get; } =
        Nodes.Where(n => !n.Quantized).Select(n => new Fp32Node(n.Name, n.OpType, n.Fp32Reason!)).ToList();

    /// <summary>Number of quantized nodes.</summary>
    public int QuantizedNodeCount { get; } = Nodes.Count(n => n.Quantized);

    /// <summary>Whether <paramref name="tensor"/> gets a Q/DQ pair.</summary>
    public bool IsQuantized(string tensor) => quantized.Contains(tensor);

    /// <summary>The calibration tensor whose parameters <paramref name="tensor"/> uses (itself unless it shares).</summary>
    public string Root(string tensor)
    {
        while (SharesWith.TryGetValue(tensor, out var from))
        {
            tensor = from;
        }

        return tensor;
    }
}
