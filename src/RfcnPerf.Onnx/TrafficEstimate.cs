using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Bytes a model call moves to and from memory, for the roofline's arithmetic intensity. The model: every weight
/// (initializer) is read once, every activation is written once by its producer and read once by each consumer,
/// the graph inputs are read and the outputs written once; no tensor is assumed to stay in cache between
/// nodes, and reuse inside a node (a convolution reading its input window many times) is assumed perfect. It
/// is the traffic of an un-fused graph on a machine whose caches hold one node's working set and nothing more:
/// an upper bound for tiny activations that stay in L2, a lower bound for kernels whose working set spills.
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
        var total = 0.0;
        foreach (var node in graph.Node)
        {
            // Constant nodes produce weights already counted (or tiny shape tensors): not traffic.
            if (node.OpType == "Constant")
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

                total += f.ElementCount * Math.Max(8, ElementTypes.Bits(f.ElemType)) / 8.0;
            }
        }

        return (weights, total);
    }
}
