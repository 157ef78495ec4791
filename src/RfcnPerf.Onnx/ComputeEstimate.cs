namespace RfcnPerf.Onnx;

/// <summary>
/// Estimated arithmetic per image: 2 x multiply-adds of Conv, ConvTranspose, Gemm and MatMul (float:
/// GFLOPs) and of their quantized forms QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger (integer:
/// GOPs). Shapes come from RfcnPerf's static shape inference with every graph input dimension bound; other
/// ops (activations, pooling, resizing) are not counted, as in the published figures.
/// </summary>
public sealed class ComputeEstimate
{
    internal ComputeEstimate(IReadOnlyList<OpCompute> byOp, IReadOnlyList<string> unresolved, IReadOnlyList<string> bindings, long batch)
    {
        ByOp = byOp;
        UnresolvedNodes = unresolved;
        Bindings = bindings;
        Batch = batch;
    }

    /// <summary>How the shapes were obtained.</summary>
    public string Method => "static shape inference";

    /// <summary>Float work per image, 1e9 FLOPs.</summary>
    public double FloatGflops => ByOp.Where(o => !o.Integer).Sum(o => o.GigaOps);

    /// <summary>Integer (quantized) work per image, 1e9 operations.</summary>
    public double IntegerGops => ByOp.Where(o => o.Integer).Sum(o => o.GigaOps);

    /// <summary>Float plus integer work per image.</summary>
    public double TotalGigaOps => ByOp.Sum(o => o.GigaOps);

    /// <summary>Per counted op type.</summary>
    public IReadOnlyList<OpCompute> ByOp { get; }

    /// <summary>Nodes of a counted type whose shapes could not be inferred (their work is missing from the totals).</summary>
    public IReadOnlyList<string> UnresolvedNodes { get; }

    /// <summary>How symbolic input dimensions were bound for the estimate, e.g. "batch=1".</summary>
    public IReadOnlyList<string> Bindings { get; }

    /// <summary>The batch size the graph was evaluated at; totals are divided by it.</summary>
    public long Batch { get; }

    /// <summary>True when every counted node's shapes were resolved.</summary>
    public bool Complete => UnresolvedNodes.Count == 0;

    /// <summary>Weight bytes a call reads once, whatever the batch (<see cref="TrafficEstimate"/>).</summary>
    public double WeightBytes { get; init; }

    /// <summary>
    /// Activation bytes per image a call moves (each activation written once and read once per consumer, graph
    /// inputs and outputs once, Q/DQ pairs ONNX Runtime fuses as 8-bit tensors: <see cref="TrafficEstimate"/>); null
    /// when a shape is unknown.
    /// </summary>
    public double? ActivationBytesPerImage { get; init; }

    /// <summary>
    /// Operations per byte moved at batch <paramref name="batch"/> (the roofline's arithmetic intensity): weights
    /// are read once per call, activations once per image.
    /// </summary>
    public double? Intensity(int batch) => ActivationBytesPerImage is { } a && (WeightBytes + (batch * a)) > 0
        ? batch * TotalGigaOps * 1e9 / (WeightBytes + (batch * a))
        : null;

    /// <summary>The counted nodes one by one (graph order), for joining with per-node timings.</summary>
    public IReadOnlyList<NodeCompute> ByNode { get; init; } = [];
}
