using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Bytes a model call moves to and from memory, for the roofline's arithmetic intensity. The model: every weight
/// (initializer) is read once, every activation is written once by its producer and read once by each consumer,
/// the graph inputs are read and the outputs written once; no tensor is assumed to stay in cache between
/// nodes, and reuse inside a node (a convolution reading its input window many times) is assumed perfect. It
/// is the traffic of an un-fused graph on a machine whose caches hold one node's working set and nothing more:
/// an upper bound for tiny activations that stay in L2, a lower bound for kernels whose working set spills.
/// QuantizeLinear / DequantizeLinear nodes are counted as ONNX Runtime runs them: a DequantizeLinear whose
/// consumers all have a QDQ kernel (<see cref="OperatorTable"/>'s quantization slot) and a QuantizeLinear after
/// such an op, reading nothing else's input, are fused into those kernels (QLinearConv writes its output in 8 bits
/// and the next kernel reads 8 bits), so they move nothing of their own and the tensors they touch move at the
/// quantized width; a DequantizeLinear of a weight is part of the weight. Any other Q or DQ (a graph input's, a
/// graph output's, one next to an op left in float) really runs and is counted as written.
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
        double weights = graph.Initializer.Sum(TensorData.ByteSize);
        var (fused, quantizedBits) = FusedQdq(graph, initializers, facts);

        var total = 0.0;
        foreach (var node in graph.Node)
        {
            // Constant nodes produce weights already counted (or tiny shape tensors): not traffic.
            if (node.OpType == "Constant" || fused.Contains(node))
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

    /// <summary>
    /// The Q/DQ nodes that move nothing of their own (those ONNX Runtime fuses into their neighbours, and the
    /// DequantizeLinear of a weight), and the width the tensors they touch then move at. Adds the outputs of weight
    /// DequantizeLinear nodes to <paramref name="initializers"/>.
    /// </summary>
    private static (HashSet<NodeProto> Fused, Dictionary<string, int> Bits) FusedQdq(GraphProto graph, HashSet<string> initializers, IReadOnlyDictionary<string, TensorFacts> facts)
    {
        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        var fused = new HashSet<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (node.OpType == "DequantizeLinear" && initializers.Contains(node.Input[0]))
            {
                initializers.Add(node.Output[0]);
                fused.Add(node);
            }

            foreach (var output in node.Output)
            {
                producers[output] = node;
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
            }
        }

        static bool HasQdqKernel(NodeProto op) =>
            OperatorTable.Find(op.OpType)?.Quantization is { } group && group is not (QdqGroup.Unspecified or QdqGroup.QOperator or QdqGroup.QuantizeDequantize);

        int Bits(string tensor) => facts.TryGetValue(tensor, out var f) && f.ElemType != 0 ? ElementTypes.Bits(f.ElemType) : 32;

        var bits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => !fused.Contains(n)))
        {
            if (node.OpType == "DequantizeLinear" && !graphOutputs.Contains(node.Output[0])
                && consumers.TryGetValue(node.Output[0], out var readers) && readers.All(HasQdqKernel))
            {
                fused.Add(node);
                bits[node.Output[0]] = Bits(node.Input[0]);
            }
            else if (node.OpType == "QuantizeLinear" && !graphInputs.Contains(node.Input[0]) && !graphOutputs.Contains(node.Input[0])
                && producers.TryGetValue(node.Input[0], out var producer) && HasQdqKernel(producer)
                && consumers[node.Input[0]].All(c => c.OpType == "QuantizeLinear"))
            {
                fused.Add(node);
                bits[node.Input[0]] = Bits(node.Output[0]);
            }
        }

        return (fused, bits);
    }
}
