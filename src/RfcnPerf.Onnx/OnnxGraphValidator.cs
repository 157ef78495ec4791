using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Structural checks on a parsed model: the things ONNX Runtime would also reject, reported earlier and with
/// the node and value named. Protobuf happily parses many foreign byte streams into a mostly empty
/// ModelProto, so "has a graph and an opset" is also what tells an ONNX file from a non-ONNX one.
/// </summary>
internal static class OnnxGraphValidator
{
    public static void Validate(ModelProto model, string source)
    {
        if (model.Graph is null || model.IrVersion <= 0 || model.OpsetImport.Count == 0)
        {
            var found = new List<string>();
            found.Add(model.Graph is null ? "no graph" : $"a graph with {model.Graph.Node.Count} nodes");
            found.Add($"ir_version {model.IrVersion}");
            found.Add($"{model.OpsetImport.Count} opset imports");
            throw new OnnxModelException(
                $"{source}: expected an ONNX model (a graph, ir_version >= 1 and at least one opset import), found " +
                $"{string.Join(", ", found)}; the file is not an ONNX model.");
        }

        var graph = model.Graph;
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var init in graph.Initializer)
        {
            if (string.IsNullOrEmpty(init.Name))
            {
                throw new OnnxModelException($"{source}: graph '{graph.Name}' has an initializer without a name.");
            }

            // A declared size is never trusted: negative or overflowing dims would size arrays from garbage.
            if (TensorData.ElementCount(init) < 0)
            {
                throw new OnnxModelException(
                    $"{source}: initializer '{init.Name}' has dims [{string.Join(", ", init.Dims)}]; expected dims >= 0 whose " +
                    "product (the element count) fits in 64 bits.");
            }

            defined.TryAdd(init.Name, "initializer");
        }

        foreach (var input in graph.Input)
        {
            defined.TryAdd(input.Name, "graph input");
        }

        // First pass: everything any node produces, to tell "defined later" (unsorted graph) from "never defined".
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var output in graph.Node[i].Output)
            {
                if (output.Length == 0)
                {
                    continue;
                }

                if (!producers.TryAdd(output, i) || defined.ContainsKey(output))
                {
                    throw new OnnxModelException(
                        $"{source}: value '{output}' is produced by {Describe(graph.Node[i], i)} but is already defined " +
                        "(each value must have exactly one producer).");
                }
            }
        }

        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (string.IsNullOrEmpty(node.OpType))
            {
                throw new OnnxModelException($"{source}: {Describe(node, i)} has no op_type.");
            }

            foreach (var input in node.Input)
            {
                // An empty name is ONNX's "optional input not given".
                if (input.Length == 0 || defined.ContainsKey(input))
                {
                    continue;
                }

                if (producers.TryGetValue(input, out var producer))
                {
                    if (producer >= i && !HasSubgraph(node))
                    {
                        throw new OnnxModelException(
                            $"{source}: {Describe(node, i)} uses '{input}' before {Describe(graph.Node[producer], producer)} " +
                            "produces it; ONNX requires nodes in topological order.");
                    }

                    continue;
                }

                throw new OnnxModelException(
                    $"{source}: {Describe(node, i)} has input '{input}', which is not a graph input, an initializer or " +
                    "any node's output (dangling input).");
            }
        }

        foreach (var output in graph.Output)
        {
            if (!defined.ContainsKey(output.Name) && !producers.ContainsKey(output.Name))
            {
                throw new OnnxModelException(
                    $"{source}: graph output '{output.Name}' is not produced by any node, initializer or graph input.");
            }
        }
    }

    /// <summary>"node 12 'Conv_3' (Conv)": how messages name a node.</summary>
    public static string Describe(NodeProto node, int index) =>
        node.Name.Length > 0 ? $"node {index} '{node.Name}' ({node.OpType})" : $"node {index} ({node.OpType})";

    private static bool HasSubgraph(NodeProto node) =>
        node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0);
}
