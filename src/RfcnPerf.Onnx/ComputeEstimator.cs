using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Estimated compute per image: shape inference at a bound batch, then each node's FLOP rule from the
/// <see cref="OperatorTable"/> (2 x multiply-adds), split into float and integer work.
/// </summary>
internal static class ComputeEstimator
{
    public static ComputeEstimate Estimate(ModelProto model, IReadOnlyDictionary<string, long> dims)
    {
        var bindings = new SortedSet<string>(StringComparer.Ordinal);
        var facts = GraphShapeInference.Run(model, (input, axis, dim) =>
        {
            if (dim.HasDimValue)
            {
                return null;
            }

            var name = dim.HasDimParam && dim.DimParam.Length > 0 ? dim.DimParam : null;
            if (name is not null && dims.TryGetValue(name, out var bound))
            {
                bindings.Add($"{name}={bound}");
                return bound;
            }

            if (axis == 0)
            {
                bindings.Add($"{name ?? $"{input}[0]"}=1");
                return 1;
            }

            return null;
        });

        var realInputs = GraphShapeInference.RealInputs(model.Graph);
        long batch = 1;
        if (realInputs.Count > 0 && facts.TryGetValue(realInputs[0].Name, out var first) && first.Shape is { Length: >= 3 } s && s[0] > 0)
        {
            batch = s[0];
        }

        var perOp = new Dictionary<string, (int Nodes, double Ops, bool Integer)>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        for (var i = 0; i < model.Graph.Node.Count; i++)
        {
            var node = model.Graph.Node[i];
            var rule = OperatorTable.Find(node.OpType)?.Flops ?? default;
            if (rule.Kind == FlopKind.None)
            {
                continue;
            }

            var integer = rule.Integer;
            var ops = CountOps(node, rule, facts);
            if (ops is null)
            {
                unresolved.Add(OnnxGraphValidator.Describe(node, i));
                continue;
            }

            var entry = perOp.GetValueOrDefault(node.OpType);
            perOp[node.OpType] = (entry.Nodes + 1, entry.Ops + ops.Value, integer);
        }

        var byOp = perOp
            .Select(kv => new OpCompute(kv.Key, kv.Value.Nodes, kv.Value.Ops / batch / 1e9, kv.Value.Integer))
            .OrderByDescending(o => o.GigaOps)
            .ToList();
        return new ComputeEstimate(byOp, unresolved, bindings.ToList(), batch);
    }

    /// <summary>2 x multiply-adds of one node, or null when its shapes are unknown.</summary>
    private static double? CountOps(NodeProto node, FlopRule rule, Dictionary<string, TensorFacts> facts)
    {
        TensorFacts? F(int i) => i < node.Input.Count && facts.TryGetValue(node.Input[i], out var f) ? f : null;
        var output = node.Output.Count > 0 && facts.TryGetValue(node.Output[0], out var o) ? o : null;
        switch (rule.Kind)
        {
            case FlopKind.Conv:
                {
                    // Each output element: (C / group) x prod(kernel) multiply-adds = prod(W.shape[1..]).
                    var w = F(rule.WeightInput)?.Shape;
                    return output?.Shape is null || w is null ? null : 2.0 * output.ElementCount * TensorFacts.Product(w.AsSpan(1));
                }

            case FlopKind.ConvTranspose:
                {
                    // Each input element scatters into (M / group) x prod(kernel) outputs = prod(W.shape[1..]).
                    var x = F(0);
                    var w = F(rule.WeightInput)?.Shape;
                    return x?.Shape is null || w is null || output?.Shape is null ? null : 2.0 * x.ElementCount * TensorFacts.Product(w.AsSpan(1));
                }

            case FlopKind.MatMul:
                {
                    var a = F(0)?.Shape;
                    if (output?.Shape is null || a is null || a.Length == 0)
                    {
                        return null;
                    }

                    // transA exists only on Gemm; elsewhere the attribute is absent and reads 0.
                    var k = NodeAttributes.Int(node, "transA", 0) != 0 ? a[0] : a[^1];
                    return 2.0 * output.ElementCount * k;
                }

            default:
                return null;
        }
    }
}
