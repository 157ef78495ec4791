using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Bytes a model call moves to and from memory, for the roofline's arithmetic intensity. The model: every weight
/// (initializer) is read once, every activation is written once by its producer and read once by each consumer,
/// the graph inputs are read and the outputs written once; no tensor is assumed to stay in cache between
/// nodes, and reuse inside a node (a convolution reading its input window many times) is assumed perfect. It
/// is the traffic of an un-fused graph on a machine whose caches hold one node's working set and nothing more:
/// an upper bound for tiny activations that stay in L2, a lower bound for kernels whose working set spills.
/// QDQ graphs are counted as ONNX Runtime runs them: each QuantizeLinear / DequantizeLinear pair is fused into its
/// neighbours (QLinearConv writes its output in 8 bits and the next kernel reads 8 bits), so the Q and DQ nodes
/// move nothing of their own, a tensor a QuantizeLinear reads moves at the quantized width, and a DequantizeLinear
/// of a weight is part of the weight. Only a QuantizeLinear of a graph input and a DequantizeLinear writing a graph
/// output really run: they are counted as written.
/// </summary>
internal static class TrafficEstimate
{
    /// <summary>
    /// Weight bytes and activation bytes per call at the bound shapes; activations null when a tensor's shape is
    /// unknown.
    /// </summary>
    public static (double Weights, double? Activations) Bytes(ModelProto model, IReadOnlyDictionary<string, TensorFacts> facts)
    {
        var graph = model.Graph;
        var initializers = new HashSet<string>(graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
        var graphInputs = new HashSet<string>(graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        var graphOutputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        double weights = graph.Initializer.Sum(TensorData.ByteSize);

        // Widths of the tensors a fused QDQ pair leaves in 8 bits, and the dequantized weights. A float tensor moves
        // in 8 bits only when every consumer quantizes it (a float consumer needs it written in float).
        var floatConsumers = graph.Node.Where(n => n.OpType != "QuantizeLinear").SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var quantizedBits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType == "DequantizeLinear" && initializers.Contains(node.Input[0]))
            {
                initializers.Add(node.Output[0]);
            }
            else if (IsFusedQdq(node, graphInputs, graphOutputs) && !(node.OpType == "QuantizeLinear" && (floatConsumers.Contains(node.Input[0]) || graphOutputs.Contains(node.Input[0]))))
            {
                var (from, to) = node.OpType == "QuantizeLinear" ? (node.Output[0], node.Input[0]) : (node.Input[0], node.Output[0]);
                if (facts.TryGetValue(from, out var q) && q.ElemType != 0)
                {
                    quantizedBits[to] = ElementTypes.Bits(q.ElemType);
                }
            }
        }

        var total = 0.0;
        foreach (var node in graph.Node)
        {
            // Constant nodes produce weights already counted (or tiny shape tensors): not traffic.
            if (node.OpType == "Constant" || IsFusedQdq(node, graphInputs, graphOutputs) || (node.OpType == "DequantizeLinear" && initializers.Contains(node.Output[0])))
            {
                continue;
            }

            foreach (var name in node.Input.Concat(node.Output))
            {
                if (name.Length == 0 || initializers.Contains(name))
                {
                    continue;
                }

                if (!facts.TryGetValue(name, out var f) || f.Shape is null)
                {
                    return (weights, null);
                }

                var bits = quantizedBits.TryGetValue(name, out var b) ? b : ElementTypes.Bits(f.ElemType);
                total += f.ElementCount * Math.Max(8, bits) / 8.0;
            }
        }

        return (weights, total);
    }

    private static bool IsFusedQdq(NodeProto node, HashSet<string> graphInputs, HashSet<string> graphOutputs) =>
        (node.OpType == "QuantizeLinear" && !graphInputs.Contains(node.Input[0])) ||
        (node.OpType == "DequantizeLinear" && !graphOutputs.Contains(node.Output[0]));
}
