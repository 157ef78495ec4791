using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>The nodes of a family's decoding tail, which the plan keeps FP32 (<see cref="QuantizeOptions.Tail"/>).</summary>
internal static class QdqTail
{
    /// <summary>Indices of the nodes of <paramref name="tail"/> in <paramref name="model"/> (none for <see cref="HeadTail.None"/>).</summary>
    public static HashSet<int> Nodes(ModelProto model, HeadTail tail, IReadOnlyDictionary<string, TensorProto> initializers, Dictionary<string, TensorFacts> facts, string source) =>
        tail switch
        {
            HeadTail.RawHeadBeforeDfl => FromRawHead(model, initializers, facts, source),
            HeadTail.AfterLastConv => AfterLastConv(model.Graph),
            _ => [],
        };

    /// <summary>Everything downstream of the raw yolov8 head, and the non-Conv chain assembling it.</summary>
    private static HashSet<int> FromRawHead(ModelProto model, IReadOnlyDictionary<string, TensorProto> initializers, Dictionary<string, TensorFacts> facts, string source)
    {
        var graph = model.Graph;
        var tail = new HashSet<int>();
        var start = Yolov8TailCut.Locate(model, facts) ?? throw new OnnxModelException(
            $"{source}: the yolov8 head rule expects one output [N, 4+C, A] and a tensor [N, 64+C, A] before it (the raw DFL head), or a cut graph whose metadata names its raw head output; found none. Pass --quantize-head to quantize the head too.");
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };

        // The Concat/Reshape chain that assembles the raw head from the per-level box and class convs stays
        // FP32 too: one uint8 scale over DFL logits and class logits together costs AP, while each conv's
        // own output scale (which its QLinearConv needs anyway) keeps them apart.
        var producerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var o in graph.Node[i].Output)
            {
                producerOf[o] = i;
            }
        }

        var pending = new Stack<string>([start]);
        while (pending.Count > 0)
        {
            if (producerOf.TryGetValue(pending.Pop(), out var p) && graph.Node[p].OpType != "Conv" && tail.Add(p))
            {
                foreach (var input in graph.Node[p].Input.Where(i => i.Length > 0 && !initializers.ContainsKey(i)))
                {
                    pending.Push(input);
                }
            }
        }

        for (var i = 0; i < graph.Node.Count; i++)
        {
            if (graph.Node[i].Input.Any(reached.Contains))
            {
                tail.Add(i);
                foreach (var o in graph.Node[i].Output)
                {
                    reached.Add(o);
                }
            }
        }

        return tail;
    }

    /// <summary>Every node from which no Conv can be reached, other than a Conv itself.</summary>
    private static HashSet<int> AfterLastConv(GraphProto graph)
    {
        var tail = new HashSet<int>();
        var convBelow = new bool[graph.Node.Count];
        var consumersOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var input in graph.Node[i].Input)
            {
                if (!consumersOf.TryGetValue(input, out var list))
                {
                    consumersOf[input] = list = [];
                }

                list.Add(i);
            }
        }

        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            convBelow[i] = graph.Node[i].Output.Any(o => consumersOf.TryGetValue(o, out var cs)
                && cs.Any(c => graph.Node[c].OpType == "Conv" || convBelow[c]));
            if (!convBelow[i] && graph.Node[i].OpType != "Conv")
            {
                tail.Add(i);
            }
        }

        return tail;
    }
}
