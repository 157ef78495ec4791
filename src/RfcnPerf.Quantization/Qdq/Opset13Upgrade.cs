using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>Moves an opset 10-12 graph to opset 13 in place, for per-channel weights.</summary>
internal static class Opset13Upgrade
{
    /// <summary>
    /// Per-channel DequantizeLinear (axis) needs opset 13. The ops whose signature changed between 10 and 13
    /// and that detectors use are converted (Split's, Squeeze's and Unsqueeze's attributes become inputs, an
    /// empty Resize `scales` next to `sizes` becomes absent);
    /// a graph with other changed ops keeps its opset and falls back to per-tensor weights.
    /// </summary>
    public static bool TryApply(ModelProto model)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal) { "ReduceSum", "Dropout", "Upsample", "Scatter" };
        var graph = model.Graph;
        if (GraphShapeInference.DefaultOpset(model) < 10 || graph.Node.Any(n => n.Domain is "" or "ai.onnx" && changed.Contains(n.OpType)))
        {
            return false;
        }

        var added = new List<TensorProto>();
        var empty = graph.Initializer.Where(t => TensorData.ElementCount(t) == 0).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.Domain is "" or "ai.onnx"))
        {
            // Resize 11 accepted an empty `scales` next to `sizes`; from 13 on an empty tensor counts as given.
            if (node.OpType == "Resize" && node.Input.Count >= 4 && node.Input[3].Length > 0 && empty.Contains(node.Input[2]))
            {
                node.Input[2] = "";
            }

            // An empty `roi` is optional from 13 on; left as an empty tensor, ORT's layout transformer permutes it
            // (Gather over nothing) and the session fails at the first run.
            if (node.OpType == "Resize" && node.Input.Count >= 2 && empty.Contains(node.Input[1]))
            {
                node.Input[1] = "";
            }

            var attr = node.OpType switch
            {
                "Split" => "split",
                "Squeeze" or "Unsqueeze" => "axes",
                _ => null,
            };
            if (attr is null || NodeAttributes.Find(node, attr) is not { } a)
            {
                continue;
            }

            var name = $"{node.Name}_{attr}_opset13";
            var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Int64 };
            t.Dims.Add(a.Ints.Count);
            t.Int64Data.AddRange(a.Ints);
            added.Add(t);
            node.Attribute.Remove(a);
            while (node.Input.Count < 1)
            {
                node.Input.Add("");
            }

            node.Input.Insert(1, name);
        }

        graph.Initializer.AddRange(added);
        foreach (var o in model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx"))
        {
            o.Version = 13;
        }

        model.IrVersion = Math.Max(model.IrVersion, 7);
        return true;
    }
}
