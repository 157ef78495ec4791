using Google.Protobuf;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Opens the batch dimension of a batch-1 model (docs/MODELS.md section 4) and proves the result safe.
/// </summary>
/// <remarks>
/// The rewrite: graph inputs and outputs get a symbolic first dimension, Reshape target shapes that are
/// constants with a leading 1 get a leading 0 ("copy the input's dimension"), and shape annotations of
/// values that now carry the batch are dropped. The proof: static shape inference runs over the rewritten
/// graph twice, at batch 1 and at batch 2, and every value fed by an input must differ between the two
/// runs in exactly one axis, sized 1 and 2 (the batch axis), or not at all (a value that no longer depends
/// on the batch). On top of that, each op that reads a batched value is checked not to mix images: no
/// reduction, softmax, concatenation, split, gather or matrix contraction along the batch axis, and an op
/// we do not know is refused rather than trusted.
/// </remarks>
internal static class BatchRewriter
{
    public const string BatchDimName = "batch";

    /// <summary>
    /// Returns the rewritten copy of <paramref name="model"/>, or throws <see cref="OnnxModelException"/>
    /// naming the node (or input/output) that makes opening the batch unsafe.
    /// </summary>
    public static (ModelProto Model, BatchifyReport Report) Rewrite(ModelProto model, string source)
    {
        var graph = model.Graph;
        if (graph.Initializer.FirstOrDefault(TensorData.IsExternal) is { } external)
        {
            throw Refuse(source, $"initializer '{external.Name}' stores its data in an external file; batchify supports only " +
                                 "self-contained models (weights inside the .onnx file).");
        }

        var inputs = GraphShapeInference.RealInputs(graph);
        if (inputs.Count == 0)
        {
            throw Refuse(source, "the graph has no inputs (other than initializers), so it has no batch to open.");
        }

        var dynamicCount = 0;
        foreach (var input in inputs)
        {
            var shape = input.Type?.TensorType?.Shape;
            if (shape is null || shape.Dim.Count == 0)
            {
                throw Refuse(source, $"input '{input.Name}' declares no shape (or is a scalar); expected a tensor whose first dimension is the batch.");
            }

            var first = shape.Dim[0];
            if (!first.HasDimValue)
            {
                dynamicCount++;
            }
            else if (first.DimValue != 1)
            {
                throw Refuse(source, $"input '{input.Name}' has a fixed batch of {first.DimValue}; batchify opens batch-1 models only.");
            }
        }

        if (dynamicCount == inputs.Count)
        {
            return (model, new BatchifyReport(true, 0, 0, 0, inputs.Select(i => i.Name).ToList(), graph.Output.Select(o => o.Name).ToList()));
        }

        if (dynamicCount > 0)
        {
            throw Refuse(source, "some inputs have a symbolic first dimension and others a fixed 1; expected all batch-1 or all dynamic.");
        }

        var rewritten = model.Clone();
        var result = new Analysis(rewritten, source).Run();
        return (rewritten, result);
    }

    private static OnnxModelException Refuse(string source, string reason) =>
        new($"{source}: cannot open the batch dimension safely: {reason}");

    /// <summary>One pass over the graph, carrying facts at batch 1 and batch 2 and each value's batch axis.</summary>
    private sealed class Analysis
    {
        private readonly GraphProto graph;
        private readonly string source;
        private readonly long opset;
        private readonly Dictionary<string, TensorFacts> at1;
        private readonly Dictionary<string, TensorFacts> at2;

        // Value name -> its batch axis, for values that carry the batch.
        private readonly Dictionary<string, int> batchAxis = new(StringComparer.Ordinal);

        // Value name -> node index, for messages naming the producer of a computed shape.
        private readonly Dictionary<string, int> producer = new(StringComparer.Ordinal);

        // Rewritten copies of constants, shared by the nodes that used the same original: Reshape targets by
        // original name, Resize scales by original name and input shape.
        private readonly Dictionary<string, string> rewrittenShapes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> rewrittenScales = new(StringComparer.Ordinal);

        // Originals that may no longer be read after the rewrite.
        private readonly HashSet<string> replacedConstants = new(StringComparer.Ordinal);
        private string? emptyFloat;
        private readonly HashSet<string> initializerNames;
        private int reshapesRewritten;
        private int resizesRewritten;

        public Analysis(ModelProto model, string source)
        {
            graph = model.Graph;
            this.source = source;
            opset = GraphShapeInference.DefaultOpset(model);
            at1 = GraphShapeInference.Seed(model, (_, axis, _) => axis == 0 ? 1 : null);
            at2 = GraphShapeInference.Seed(model, (_, axis, _) => axis == 0 ? 2 : null);
            initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var input in GraphShapeInference.RealInputs(graph))
            {
                if (!at1.ContainsKey(input.Name))
                {
                    throw Refuse($"input '{input.Name}' has symbolic dimensions other than the first; its shape must be fixed to prove the rewrite safe.");
                }

                batchAxis[input.Name] = 0;
            }
        }

        public BatchifyReport Run()
        {
            for (var i = 0; i < graph.Node.Count; i++)
            {
                var node = graph.Node[i];
                foreach (var output in node.Output)
                {
                    producer[output] = i;
                }

                var batched = node.Input.Where(n => n.Length > 0 && batchAxis.ContainsKey(n)).ToList();
                if (batched.Count > 0)
                {
                    CheckPerImage(node, i);
                    if (node.OpType == "Reshape")
                    {
                        RewriteReshape(node, i);
                    }
                    else if (node.OpType == "Resize")
                    {
                        RewriteResizeSizes(node, i);
                    }
                }

                var y1 = GraphShapeInference.InferNode(node, at1, opset);
                var y2 = GraphShapeInference.InferNode(node, at2, opset);
                if (batched.Count == 0 && !node.Input.Any(n => IsBatchDependentValue(n)))
                {
                    continue;
                }

                for (var k = 0; k < node.Output.Count; k++)
                {
                    if (node.Output[k].Length > 0)
                    {
                        Classify(node, i, node.Output[k], y1[k], y2[k], batched.Count > 0);
                    }
                }
            }

            var outputs = new List<string>();
            foreach (var output in graph.Output)
            {
                if (!batchAxis.TryGetValue(output.Name, out var axis))
                {
                    throw Refuse($"output '{output.Name}' does not depend on the batch (it would be the same for every image), so it cannot be batched.");
                }

                if (axis != 0)
                {
                    throw Refuse($"output '{output.Name}' carries the batch on axis {axis}, not 0; callers split batched outputs on axis 0.");
                }

                SetBatchDim(output, at1.GetValueOrDefault(output.Name));
                outputs.Add(output.Name);
            }

            var inputs = new List<string>();
            foreach (var input in GraphShapeInference.RealInputs(graph))
            {
                SetBatchDim(input, null);
                inputs.Add(input.Name);
            }

            // Shape annotations of batched values say 1 where the batch now is: drop them (runtimes re-infer).
            var stale = graph.ValueInfo.Where(v => batchAxis.ContainsKey(v.Name)).ToList();
            foreach (var v in stale)
            {
                graph.ValueInfo.Remove(v);
            }

            RemoveOrphanedShapeConstants();
            return new BatchifyReport(false, reshapesRewritten, resizesRewritten, stale.Count, inputs, outputs);
        }

        private bool IsBatchDependentValue(string name) =>
            name.Length > 0 && at1.TryGetValue(name, out var a) && at2.TryGetValue(name, out var b) &&
            a.Ints is not null && b.Ints is not null && !a.Ints.AsSpan().SequenceEqual(b.Ints);

        /// <summary>Decides whether <paramref name="name"/> carries the batch, and on which axis.</summary>
        private void Classify(NodeProto node, int index, string name, TensorFacts? f1, TensorFacts? f2, bool hasBatchedInput)
        {
            if (f1?.Shape is null || f2?.Shape is null)
            {
                throw Refuse($"{Describe(node, index)}: the shape of '{name}' cannot be inferred statically, so the rewrite cannot be proven safe.");
            }

            if (f1.Rank != f2.Rank)
            {
                throw Refuse($"{Describe(node, index)}: '{name}' has rank {f1.Rank} at batch 1 but {f2.Rank} at batch 2.");
            }

            var differing = Enumerable.Range(0, f1.Rank).Where(a => f1.Shape[a] != f2.Shape[a]).ToList();
            if (differing.Count == 0)
            {
                // Shape and Size turn the batch into a value (used by computed Reshape shapes); anything else
                // that reads images but whose output no longer depends on the batch has mixed them together.
                if (hasBatchedInput && node.OpType is not ("Shape" or "Size") && !IsBatchDependentValue(name))
                {
                    throw Refuse($"{Describe(node, index)}: '{name}' has shape [{string.Join(",", f1.Shape)}] at batch 1 and at batch 2: " +
                                 "the op collapses the batch axis and would mix images.");
                }

                return;
            }

            var axis = differing[0];
            if (differing.Count > 1 || f1.Shape[axis] != 1 || f2.Shape[axis] != 2)
            {
                throw Refuse($"{Describe(node, index)}: '{name}' has shape [{string.Join(",", f1.Shape)}] at batch 1 but " +
                             $"[{string.Join(",", f2.Shape)}] at batch 2: the batch is merged with other dimensions, so images would mix.");
            }

            batchAxis[name] = axis;
        }

        /// <summary>Op-level check that an op reading batched values keeps images apart.</summary>
        private void CheckPerImage(NodeProto node, int index)
        {
            int? Axis(int input) => input < node.Input.Count && batchAxis.TryGetValue(node.Input[input], out var a) ? a : null;
            int RankOf(int input) => at1.TryGetValue(node.Input[input], out var f) ? f.Rank : -1;
            string What() => Describe(node, index);
            var op = node.OpType;

            var rule = OperatorTable.BatchRuleOf(op);
            if (rule == BatchRule.PerImage)
            {
                // Input 0 (activations) must hold the batch on axis 0; weights, scales and sizes must not be batched.
                if (Axis(0) is not 0 || Enumerable.Range(1, Math.Max(0, node.Input.Count - 1)).Any(i => Axis(i) is not null))
                {
                    throw Refuse($"{What()}: expected the batch on axis 0 of its first input only.");
                }

                return;
            }

            switch (rule)
            {
                case BatchRule.Elementwise:
                    return;
                case BatchRule.Reshape:
                    if (Axis(0) is not 0 || Axis(1) is not null)
                    {
                        throw Refuse($"{What()}: reshapes a value whose batch is on axis {Axis(0)?.ToString() ?? "(none)"}; only a batch on axis 0 can be kept by a leading 0.");
                    }

                    return;
                case BatchRule.NormalizeAxis:
                    {
                        var rank = RankOf(0);
                        var axis = Normalize(NodeAttributes.Int(node, "axis", opset >= 13 ? -1 : 1), rank);
                        var batch = Axis(0)!.Value;

                        // Before opset 13 the op flattens [0, axis) and [axis, rank) into a matrix: the batch must lie before axis.
                        if (opset >= 13 ? axis == batch : batch >= axis)
                        {
                            throw Refuse($"{What()}: normalises across axis {axis}, which includes the batch axis {batch}.");
                        }

                        return;
                    }

                case BatchRule.LayerNormalization:
                    if (Axis(0) is not { } lb || Normalize(NodeAttributes.Int(node, "axis", -1), RankOf(0)) <= lb)
                    {
                        throw Refuse($"{What()}: normalises over the batch axis.");
                    }

                    return;
                case BatchRule.Concat:
                    {
                        var data = op == "Concat"
                            ? Enumerable.Range(0, node.Input.Count).ToList()
                            : Enumerable.Range(0, node.Input.Count).Where(i => i >= 2 && (i - 2) % 3 == 0).ToList();
                        var axes = data.Select(Axis).Distinct().ToList();
                        if (axes.Count != 1 || axes[0] is null)
                        {
                            throw Refuse($"{What()}: concatenates batched and unbatched values (or values batched on different axes); at batch > 1 the shapes would not match.");
                        }

                        var axis = Normalize(NodeAttributes.Int(node, "axis", 0), RankOf(data[0]));
                        if (axis == axes[0])
                        {
                            throw Refuse($"{What()}: concatenates along the batch axis {axis}, which mixes images.");
                        }

                        return;
                    }

                case BatchRule.Split:
                    if (Normalize(NodeAttributes.Int(node, "axis", 0), RankOf(0)) == Axis(0))
                    {
                        throw Refuse($"{What()}: splits along the batch axis, which separates a batch into pieces of fixed size.");
                    }

                    return;
                case BatchRule.Gather:
                    if (Axis(1) is not null || Normalize(NodeAttributes.Int(node, "axis", 0), RankOf(0)) == Axis(0))
                    {
                        throw Refuse($"{What()}: gathers along the batch axis (or with batched indices), which mixes images.");
                    }

                    return;
                case BatchRule.Reduce:
                    {
                        var rank = RankOf(0);
                        var batch = Axis(0) ?? throw Refuse($"{What()}: reads a batched value that is not its data input.");
                        long[]? axes = op switch
                        {
                            "ArgMax" or "ArgMin" => [NodeAttributes.Int(node, "axis", 0)],
                            "TopK" => [NodeAttributes.Int(node, "axis", -1)],
                            "CumSum" => node.Input.Count > 1 && at1.TryGetValue(node.Input[1], out var ax) ? ax.Ints : null,
                            "ReduceSum" when opset >= 13 => node.Input.Count > 1 && node.Input[1].Length > 0 ? at1.GetValueOrDefault(node.Input[1])?.Ints : [],
                            _ when opset >= 18 => node.Input.Count > 1 && node.Input[1].Length > 0 ? at1.GetValueOrDefault(node.Input[1])?.Ints : [],
                            _ => NodeAttributes.Ints(node, "axes") ?? [],
                        };
                        if (axes is null || axes.Length == 0 || axes.Any(a => Normalize(a, rank) == batch))
                        {
                            throw Refuse($"{What()}: reduces over the batch axis {batch} (or over all axes), which mixes images.");
                        }

                        return;
                    }

                case BatchRule.MatMul:
                    {
                        var b = op == "QLinearMatMul" ? 3 : 1;
                        var aAxis = Axis(0);
                        var bAxis = Axis(b);
                        if ((aAxis is { } aa && aa == RankOf(0) - 1) || (bAxis is { } bb && bb >= RankOf(b) - 2))
                        {
                            throw Refuse($"{What()}: the batch axis is a contracted (or right-hand matrix) axis, which mixes images.");
                        }

                        return;
                    }

                case BatchRule.Gemm:
                    if (Axis(0) != (NodeAttributes.Int(node, "transA", 0) != 0 ? 1 : 0) || Axis(1) is not null || Axis(2) is not null)
                    {
                        throw Refuse($"{What()}: only A's row axis may carry the batch.");
                    }

                    return;
                case BatchRule.Refuse:
                default:
                    throw Refuse($"{What()}: op {node.OpType} reads a batched value and is not known to keep images apart; refusing rather than guessing.");
            }
        }

        /// <summary>Replaces a constant target shape's leading 1 by 0 (copy the input's batch).</summary>
        private void RewriteReshape(NodeProto node, int index)
        {
            if (opset < 5)
            {
                throw Refuse($"{Describe(node, index)}: Reshape-1 (shape as attribute) is not supported; re-export with opset >= 5.");
            }

            var shapeName = node.Input.Count > 1 ? node.Input[1] : "";
            var values1 = at1.GetValueOrDefault(shapeName)?.Ints;
            var values2 = at2.GetValueOrDefault(shapeName)?.Ints;
            if (values1 is null || values2 is null || values1.Length == 0)
            {
                throw Refuse($"{Describe(node, index)}: its target shape '{shapeName}' cannot be determined statically.");
            }

            if (values1[0] != 1)
            {
                return; // 0 or -1 already follow the batch; anything else is judged by the batch-2 shape check.
            }

            if (values2[0] != 1)
            {
                return; // computed from the input's shape: already follows the batch.
            }

            var isConstant = initializerNames.Contains(shapeName) ||
                             (producer.TryGetValue(shapeName, out var p) && graph.Node[p].OpType == "Constant");
            if (!isConstant)
            {
                var by = producer.TryGetValue(shapeName, out var q) ? $" by {Describe(graph.Node[q], q)}" : "";
                throw Refuse($"{Describe(node, index)}: the leading 1 of its target shape is computed{by}, not a constant, so it cannot be rewritten safely.");
            }

            if (NodeAttributes.Int(node, "allowzero", 0) != 0)
            {
                throw Refuse($"{Describe(node, index)}: allowzero=1, so a leading 0 would mean an empty dimension rather than 'copy the batch'.");
            }

            if (!rewrittenShapes.TryGetValue(shapeName, out var newName))
            {
                newName = Unique($"{shapeName}_dynbatch");
                var values = (long[])values1.Clone();
                values[0] = 0;
                var tensor = new TensorProto { Name = newName, DataType = (int)OnnxElementType.Int64 };
                tensor.Dims.AddRange(at1[shapeName].Shape!);
                tensor.Int64Data.AddRange(values);
                graph.Initializer.Add(tensor);
                initializerNames.Add(newName);
                at1[newName] = new TensorFacts((int)OnnxElementType.Int64, at1[shapeName].Shape!, values);
                at2[newName] = at1[newName];
                rewrittenShapes[shapeName] = newName;
                replacedConstants.Add(shapeName);
            }

            node.Input[1] = newName;
            reshapesRewritten++;
        }

        /// <summary>
        /// Resize (opset 11+) with constant output <c>sizes</c> fixes the batch too ([1,96,26,26] would squash a batch
        /// of N into 1 image). Sizes have no "copy this dimension" value, so the node is switched to the equivalent
        /// <c>scales</c> [1, 1, out/in, ...]: ONNX Runtime derives exactly these float scales from sizes itself,
        /// so coordinates and results are unchanged.
        /// </summary>
        private void RewriteResizeSizes(NodeProto node, int index)
        {
            if (opset < 11 || node.Input.Count < 4 || node.Input[3].Length == 0)
            {
                return; // scales only: a batch scale of 1 keeps any batch.
            }

            var sizesName = node.Input[3];
            var sizes1 = at1.GetValueOrDefault(sizesName)?.Ints;
            var sizes2 = at2.GetValueOrDefault(sizesName)?.Ints;
            var input = at1.GetValueOrDefault(node.Input[0])?.Shape;
            if (sizes1 is null || sizes2 is null || input is null || sizes1.Length != input.Length || NodeAttributes.Ints(node, "axes") is not null)
            {
                throw Refuse($"{Describe(node, index)}: its output sizes '{sizesName}' cannot be determined statically.");
            }

            if (sizes2[0] != 1)
            {
                return; // computed from the input's shape: already follows the batch.
            }

            var isConstant = initializerNames.Contains(sizesName) ||
                             (producer.TryGetValue(sizesName, out var p) && graph.Node[p].OpType == "Constant");
            if (!isConstant)
            {
                throw Refuse($"{Describe(node, index)}: its output sizes are computed with a fixed batch of 1, not a constant, so they cannot be rewritten safely.");
            }

            var scales = new float[input.Length];
            for (var i = 0; i < scales.Length; i++)
            {
                scales[i] = (float)sizes1[i] / input[i];
                if ((long)Math.Floor((float)input[i] * scales[i]) != sizes1[i])
                {
                    throw Refuse($"{Describe(node, index)}: output size {sizes1[i]} of axis {i} is not reproduced by the scale {sizes1[i]}/{input[i]} in float32.");
                }
            }

            var key = $"{sizesName}@{string.Join(",", input)}";
            if (!rewrittenScales.TryGetValue(key, out var name))
            {
                name = Unique($"{sizesName}_as_scales");
                var tensor = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
                tensor.Dims.Add(scales.Length);
                tensor.FloatData.AddRange(scales);
                graph.Initializer.Add(tensor);
                initializerNames.Add(name);
                at1[name] = new TensorFacts((int)OnnxElementType.Float, [scales.Length], null, scales.Select(v => (double)v).ToArray());
                at2[name] = at1[name];
                rewrittenScales[key] = name;
                replacedConstants.Add(sizesName);
            }

            if (node.Input[1].Length == 0 || at1.GetValueOrDefault(node.Input[1]) is { ElementCount: 0 })
            {
                // An unused roi gets a private empty constant. Exporters often share one empty tensor for roi and
                // scales, and NanoDet's files list it as a graph input (so it is overridable, not constant); ONNX
                // Runtime's layout optimizer, which moves Resize to NHWC once its scales are constant, then
                // inserts a Gather on that empty "roi" that fails at run time.
                node.Input[1] = EmptyFloat();
            }

            node.Input[2] = name;
            node.Input.RemoveAt(3);
            resizesRewritten++;
        }

        private string EmptyFloat()
        {
            if (emptyFloat is not null)
            {
                return emptyFloat;
            }

            var name = emptyFloat = Unique("rfcnperf_empty_float");
            var tensor = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
            tensor.Dims.Add(0);
            graph.Initializer.Add(tensor);
            initializerNames.Add(name);
            at1[name] = new TensorFacts((int)OnnxElementType.Float, [0], null, []);
            at2[name] = at1[name];
            return name;
        }

        private void SetBatchDim(ValueInfoProto value, TensorFacts? facts)
        {
            var tensor = value.Type?.TensorType ?? throw Refuse($"'{value.Name}' is not a tensor.");
            if (tensor.Shape is null && facts?.Shape is not null)
            {
                tensor.Shape = new TensorShapeProto();
                foreach (var d in facts.Shape)
                {
                    tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
                }
            }

            if (tensor.Shape is { Dim.Count: > 0 } shape)
            {
                shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchDimName };
            }
        }

        /// <summary>Drops original shape constants that no node reads any more (and their graph-input listing).</summary>
        private void RemoveOrphanedShapeConstants()
        {
            var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (var name in replacedConstants.Where(n => !used.Contains(n)))
            {
                var init = graph.Initializer.FirstOrDefault(t => t.Name == name);
                if (init is not null)
                {
                    graph.Initializer.Remove(init);
                    var listed = graph.Input.FirstOrDefault(i => i.Name == name);
                    if (listed is not null)
                    {
                        graph.Input.Remove(listed);
                    }
                }
                else if (graph.Node.FirstOrDefault(n => n.OpType == "Constant" && n.Output.Contains(name)) is { } constantNode)
                {
                    graph.Node.Remove(constantNode);
                }

                var info = graph.ValueInfo.FirstOrDefault(v => v.Name == name);
                if (info is not null)
                {
                    graph.ValueInfo.Remove(info);
                }
            }
        }

        private string Unique(string name)
        {
            var taken = graph.Node.SelectMany(n => n.Output).Concat(graph.Input.Select(i => i.Name)).Concat(initializerNames).ToHashSet(StringComparer.Ordinal);
            var candidate = name;
            for (var i = 2; taken.Contains(candidate); i++)
            {
                candidate = $"{name}{i}";
            }

            return candidate;
        }

        private static int Normalize(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);

        private static string Describe(NodeProto node, int index) => OnnxGraphValidator.Describe(node, index);

        private OnnxModelException Refuse(string reason) => BatchRewriter.Refuse(source, reason);
    }
}
