using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The plan pass: walks the graph once in node order and decides for each node whether it is quantized (its op's
/// rule in <see cref="QuantOpRules"/>, minus exclusions, the family's FP32 tail, the image stem, graph outputs and
/// what the pattern cannot take, each refusal with its reason) and which activations its pattern puts behind a
/// Q/DQ pair; then joins the Concat scale groups. Reads the model, writes nothing.
/// </summary>
internal sealed class QdqPlanner
{
    private readonly ModelProto model;
    private readonly string source;
    private readonly QuantizeOptions options;
    private readonly IReadOnlyDictionary<string, TensorProto> initializers;
    private readonly IReadOnlySet<string> graphInputs;
    private readonly Dictionary<string, TensorFacts> facts;

    private QdqPlanner(ModelProto model, string source, QuantizeOptions options, IReadOnlyDictionary<string, TensorProto> initializers, IReadOnlySet<string> graphInputs)
    {
        this.model = model;
        this.source = source;
        this.options = options;
        this.initializers = initializers;
        this.graphInputs = graphInputs;

        // A symbolic batch counts as 1: the plan needs ranks and channel counts, not the batch.
        facts = GraphShapeInference.Run(model, (_, axis, dim) => axis == 0 && !dim.HasDimValue ? 1 : null);
    }

    /// <summary>
    /// Plans <paramref name="model"/> (read from <paramref name="source"/>, named in errors). Refuses (with
    /// <see cref="OnnxModelException"/>) exclusions that name nothing and a graph with no quantizable node.
    /// </summary>
    public static QdqPlan Plan(ModelProto model, string source, QuantizeOptions options, IReadOnlyDictionary<string, TensorProto> initializers, IReadOnlySet<string> graphInputs) =>
        new QdqPlanner(model, source, options, initializers, graphInputs).Plan();

    private QdqPlan Plan()
    {
        var graph = model.Graph;
        var tail = QdqTail.Nodes(model, options.Tail, initializers, facts, source);
        var unmatched = options.Exclude.Where(e => !graph.Node.Any(n => n.Name == e || n.OpType == e)).ToList();
        if (unmatched.Count > 0)
        {
            throw new OnnxModelException($"{source}: --exclude {string.Join(", ", unmatched)} names no node and no op type of the graph.");
        }

        var uses = new TensorUses(graph);
        var nodes = new NodePlan[graph.Node.Count];
        var marks = new ActivationMarks();
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            var rule = QuantOpRules.For(node.Domain, node.OpType);
            var reason = Refusal(n, node, rule, tail, uses.GraphOutputs);
            nodes[n] = new NodePlan(node.Name, node.OpType, reason is null ? rule!.Pattern : null, reason);
            if (reason is null)
            {
                MarkActivations(node, rule!.Pattern, nodes, uses, marks);
            }
        }

        if (!nodes.Any(n => n.Quantized))
        {
            throw new OnnxModelException($"{source}: no node can be quantized (none of its ops is in the quantizer's table, or all were excluded).");
        }

        var plan = new QdqPlan(nodes, marks.Activations(), marks.SharesWith, []);
        return options.ConcatSharesScale ? plan with { ConcatScaleGroups = ConcatScaleGroups(plan) } : plan;
    }

    /// <summary>The activations a quantized node's <paramref name="pattern"/> puts behind Q/DQ pairs (<paramref name="nodes"/> holds the decisions so far).</summary>
    private void MarkActivations(NodeProto node, QuantPattern pattern, NodePlan[] nodes, TensorUses uses, ActivationMarks marks)
    {
        switch (pattern)
        {
            case QuantPattern.Conv or QuantPattern.Unary:
                marks.Mark(node.Input[0]);
                marks.Mark(node.Output[0]);
                break;
            case QuantPattern.MatMul or QuantPattern.Binary or QuantPattern.Variadic or QuantPattern.Gemm or QuantPattern.Where:
                // Where's condition (input 0) is bool and stays as it is; a Gemm's activation C was refused above.
                foreach (var input in node.Input.Skip(pattern is QuantPattern.Where ? 1 : 0).Where(IsFloatActivation))
                {
                    marks.Mark(input);
                }

                marks.Mark(node.Output[0]);
                break;
            case QuantPattern.SharedScale:
                marks.Mark(node.Input[0]);
                foreach (var o in node.Output.Where(o => o.Length > 0))
                {
                    marks.Mark(o);
                    marks.SharesWith[o] = node.Input[0];
                }

                break;
            case QuantPattern.FusedActivation:
                // Behind a quantized Conv/MatMul/Gemm whose output only it reads, the activation's input gets no
                // pair: ORT's ReluQuantFusion folds the activation into the output Q and the producer fuses with it.
                var x = node.Input[0];
                if (uses.Producer.TryGetValue(x, out var p) && nodes[p] is { Pattern: QuantPattern.Conv or QuantPattern.MatMul or QuantPattern.Gemm }
                    && uses.Consumers.GetValueOrDefault(x) == 1 && !uses.GraphOutputs.Contains(x))
                {
                    marks.Fuse(x);
                }
                else
                {
                    marks.Mark(x);
                }

                marks.Mark(node.Output[0]);
                break;
        }
    }

    /// <summary>Why node <paramref name="n"/> stays FP32, or null when it is quantized; the first reason that applies.</summary>
    private string? Refusal(int n, NodeProto node, QuantRule? rule, IReadOnlySet<int> tail, IReadOnlySet<string> graphOutputs)
    {
        if (rule is null)
        {
            return "no int8 kernel for this op in the quantizer's table";
        }

        if (options.Exclude.Contains(node.Name) || options.Exclude.Contains(node.OpType))
        {
            return "excluded (--exclude)";
        }

        if (tail.Contains(n))
        {
            return $"family decoding tail kept FP32 ({options.Tail})";
        }

        if (options.KeepStemFp32 && IsStem(node))
        {
            return "image stem kept FP32 (a Conv on the <= 4-channel image input: the int8 kernel is slower there; --quantize-stem quantizes it)";
        }

        if (node.Output.Any(graphOutputs.Contains))
        {
            return "produces a graph output (ONNX Runtime fuses no node whose output leaves the graph)";
        }

        return Unsupported(node, rule);
    }

    /// <summary>What the node's pattern needs of its inputs and ORT does not fuse, or null.</summary>
    private string? Unsupported(NodeProto node, QuantRule rule)
    {
        if (QuantOpRules.KeptFloatByOrt(node) is { } kept)
        {
            return kept;
        }

        switch (rule.Pattern)
        {
            case QuantPattern.Conv:
                if (!IsFloatActivation(node.Input[0]))
                {
                    return "input is not a float activation";
                }

                if (node.Input.Count < 2 || !IsFloatInitializer(node.Input[1]))
                {
                    return "weights are not a float initializer";
                }

                if (node.Input.Count > 2 && node.Input[2].Length > 0 && !IsFloatInitializer(node.Input[2]))
                {
                    return "bias is not a float initializer";
                }

                return null;
            case QuantPattern.MatMul or QuantPattern.Binary or QuantPattern.Variadic:
                return node.Input.All(i => IsFloatActivation(i) || IsFloatInitializer(i)) && node.Input.Any(IsFloatActivation)
                    ? null
                    : "inputs are not all float tensors";
            case QuantPattern.Gemm:
                // GemmNodeGroupSelector: A and B (and C when present) each behind a DQ, C as int32 (so a constant
                // of the output's width N, quantized at A scale x B scale) and beta 1.
                if (node.Input.Count < 2 || !IsFloatActivation(node.Input[0]) || !(IsFloatActivation(node.Input[1]) || IsFloatInitializer(node.Input[1])))
                {
                    return "A is not a float activation or B is not a float tensor";
                }

                if (node.Input.Count > 2 && node.Input[2].Length > 0)
                {
                    if (NodeAttributes.Float(node, "beta", 1f) != 1f)
                    {
                        return "beta is not 1 (QGemm adds C unscaled)";
                    }

                    if (!IsFloatInitializer(node.Input[2]) || initializers[node.Input[2]].Dims is not [var length]
                        || !facts.TryGetValue(node.Output[0], out var y) || y.Shape is not [_, var width] || width != length)
                    {
                        return "C is not a constant vector of the output's width (QGemm takes an int32 bias per output column)";
                    }
                }

                return null;
            case QuantPattern.Where:
                // WhereNodeGroupSelector: X and Y behind a DQ each, the bool condition as it is.
                return node.Input.Count == 3 && !IsFloatActivation(node.Input[0]) && !IsFloatInitializer(node.Input[0])
                       && node.Input.Skip(1).All(i => IsFloatActivation(i) || IsFloatInitializer(i)) && node.Input.Skip(1).Any(IsFloatActivation)
                    ? null
                    : "X and Y are not float tensors with a non-float condition";
            default:
                return IsFloatActivation(node.Input[0]) ? null : "input is not a float activation";
        }
    }

    private bool IsFloatActivation(string t) =>
        t.Length > 0 && !initializers.ContainsKey(t) && facts.TryGetValue(t, out var f) && f.ElemType == (int)OnnxElementType.Float;

    private bool IsFloatInitializer(string t) =>
        initializers.TryGetValue(t, out var init) && init.DataType == (int)OnnxElementType.Float;

    /// <summary>A Conv whose data input is a real graph input with at most <see cref="QuantizeOptions.StemMaxChannels"/> channels.</summary>
    private bool IsStem(NodeProto node) =>
        node.OpType == "Conv" && node.Input.Count > 0 && graphInputs.Contains(node.Input[0])
        && facts.TryGetValue(node.Input[0], out var input) && input.Shape is [_, var channels, ..] && channels is > 0 and <= QuantizeOptions.StemMaxChannels;

    /// <summary>
    /// Calibration tensors that must share one scale and zero point so that every quantized Concat has the same
    /// parameters on its inputs and its output (then ONNX Runtime's QLinearConcat copies bytes instead of
    /// requantizing each input through a lookup table): the inputs' and output's roots, joined transitively
    /// (a tensor feeding two Concats joins both groups). Only groups of two or more roots.
    /// </summary>
    private List<IReadOnlyList<string>> ConcatScaleGroups(QdqPlan plan)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string t)
        {
            while (parent.TryGetValue(t, out var p) && p != t)
            {
                t = p;
            }

            return t;
        }

        var nodes = model.Graph.Node;
        for (var n = 0; n < nodes.Count; n++)
        {
            if (!plan.Nodes[n].Quantized || nodes[n].OpType != "Concat")
            {
                continue;
            }

            var output = Find(plan.Root(nodes[n].Output[0]));
            parent.TryAdd(output, output);
            foreach (var input in nodes[n].Input.Where(plan.IsQuantized))
            {
                var root = Find(plan.Root(input));
                parent.TryAdd(root, root);
                if (root != output)
                {
                    parent[root] = output;
                }
            }
        }

        return parent.Keys.GroupBy(Find, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)g.Order(StringComparer.Ordinal).ToList()).Where(g => g.Count > 1).ToList();
    }

    /// <summary>Who produces each tensor, how many nodes read it, and the graph's outputs.</summary>
    private sealed class TensorUses
    {
        public TensorUses(GraphProto graph)
        {
            for (var i = 0; i < graph.Node.Count; i++)
            {
                foreach (var o in graph.Node[i].Output)
                {
                    Producer[o] = i;
                }

                foreach (var input in graph.Node[i].Input.Where(x => x.Length > 0).Distinct(StringComparer.Ordinal))
                {
                    Consumers[input] = Consumers.GetValueOrDefault(input) + 1;
                }
            }

            GraphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        }

        public Dictionary<string, int> Producer { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Consumers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> GraphOutputs { get; }
    }

    /// <summary>The activations marked so far, in first-marked order, during the one pass.</summary>
    private sealed class ActivationMarks
    {
        private readonly List<string> ordered = [];
        private readonly HashSet<string> marked = new(StringComparer.Ordinal);
        private readonly HashSet<string> fused = new(StringComparer.Ordinal);

        public Dictionary<string, string> SharesWith { get; } = new(StringComparer.Ordinal);

        public void Mark(string tensor)
        {
            if (marked.Add(tensor))
            {
                ordered.Add(tensor);
            }
        }

        /// <summary>A tensor folded into its consumer's output Q: it gets no pair, even if another node marked it.</summary>
        public void Fuse(string tensor) => fused.Add(tensor);

        public List<string> Activations() => ordered.Where(t => !fused.Contains(t)).ToList();
    }
}
