using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>Runs <see cref="ShapeInference"/> over a whole graph in node order.</summary>
public static class GraphShapeInference
{
    /// <summary>Binds a graph input's dimension to a size; null keeps a fixed size and leaves a symbolic one unknown.</summary>
    public delegate long? DimBinder(string input, int axis, TensorShapeProto.Types.Dimension dim);

    /// <summary>The default-domain ("" or "ai.onnx") opset version.</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;

    /// <summary>
    /// Graph inputs that are real model inputs. Older exporters (NanoDet's files among them) also list every
    /// initializer as a graph input, which lets a caller override weights; those are parameters, not inputs.
    /// </summary>
    public static List<ValueInfoProto> RealInputs(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
    }

    /// <summary>Facts for initializers (values when small) and for the real inputs, dims bound by <paramref name="bind"/>.</summary>
    internal static Dictionary<string, TensorFacts> Seed(ModelProto model, DimBinder bind)
    {
        var facts = new Dictionary<string, TensorFacts>(StringComparer.Ordinal);
        foreach (var init in model.Graph.Initializer)
        {
            facts[init.Name] = TensorData.Facts(init);
        }

        foreach (var input in RealInputs(model.Graph))
        {
            var tensor = input.Type?.TensorType;
            if (tensor?.Shape is null)
            {
                continue;
            }

            var shape = new long[tensor.Shape.Dim.Count];
            var known = true;
            for (var axis = 0; axis < shape.Length && known; axis++)
            {
                var dim = tensor.Shape.Dim[axis];
                // The binder may also override a fixed size (the batch analysis runs a batch-1 model at 2).
                var value = bind(input.Name, axis, dim) ?? (dim.HasDimValue ? dim.DimValue : null);

                known = value is not null;
                shape[axis] = value ?? 0;
            }

            if (known)
            {
                facts[input.Name] = new TensorFacts(tensor.ElemType, shape);
            }
        }

        return facts;
    }

    /// <summary>Infers <paramref name="node"/>'s outputs from <paramref name="facts"/> and records them.</summary>
    internal static TensorFacts?[] InferNode(NodeProto node, Dictionary<string, TensorFacts> facts, long opset)
    {
        var inputs = Inputs(node, facts);
        var outputs = ShapeInference.Infer(node, inputs, opset);
        for (var i = 0; i < outputs.Length; i++)
        {
            if (outputs[i] is { } f && node.Output[i].Length > 0)
            {
                facts[node.Output[i]] = f;
            }
        }

        return outputs;
    }

    internal static TensorFacts?[] Inputs(NodeProto node, Dictionary<string, TensorFacts> facts) =>
        node.Input.Select(name => name.Length > 0 && facts.TryGetValue(name, out var f) ? f : null).ToArray();

    /// <summary>Infers every node in order; returns the facts of all values that could be resolved.</summary>
    public static Dictionary<string, TensorFacts> Run(ModelProto model, DimBinder bind)
    {
        var facts = Seed(model, bind);
        var opset = DefaultOpset(model);
        foreach (var node in model.Graph.Node)
        {
            InferNode(node, facts, opset);
        }

        return facts;
    }
}
