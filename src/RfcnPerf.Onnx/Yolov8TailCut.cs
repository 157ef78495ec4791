using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Cuts a yolov8 graph at its raw head (docs/MODELS.md §2): the tensor [N, 4 x 16 + C, A] that concatenates, per
/// anchor, the 64 DFL logits and the C class logits, before the Slice / DFL Softmax / box arithmetic / Sigmoid
/// tail that produces [N, 4 + C, A]. The raw head becomes the only output and the model's metadata records the
/// <see cref="RawHeadLayout"/> post-processing decodes it with, so a cut model is recognised by what it declares,
/// not guessed from its shape.
/// </summary>
/// <remarks>
/// Like <see cref="BatchRewriter"/> the cut proves itself safe or refuses naming what it found: the levels come
/// from the Concat/Reshape chain that assembles the raw head (grid H x W of each [N, 64 + C, H, W] map, stride =
/// input size / grid), and the tail that is removed must hold exactly the constants those levels imply (the
/// per-anchor strides [A], the anchor points [2, A] at cell + 0.5, the DFL bin values 0..15), so the decoding
/// done outside the graph is the one the graph did.
/// </remarks>
public static class Yolov8TailCut
{
    /// <summary>Bumped whenever the cut's output for the same input changes (part of cache keys).</summary>
    public const int Version = 1;

    /// <summary>DFL bins per side of yolov8's head.</summary>
    public const int RegMax = 16;

    private const string CutKey = "rfcnperf.head.cut";

    /// <summary>
    /// Writes the cut copy of <paramref name="sourcePath"/> to <paramref name="outputPath"/> (atomically; the same
    /// input gives the same bytes) and returns its layout. Throws <see cref="OnnxModelException"/> for a model that
    /// is not an uncut yolov8 graph.
    /// </summary>
    public static RawHeadLayout Cut(string sourcePath, string outputPath)
    {
        var (model, layout) = Cut(OnnxModelFile.Load(sourcePath), sourcePath);
        OnnxModelFile.Save(model, outputPath);
        return layout;
    }

    /// <summary>The cut model and its layout (the input is not modified).</summary>
    internal static (ModelProto Model, RawHeadLayout Layout) Cut(ModelProto source, string name)
    {
        if (RawHeadLayout.FromMetadata(Metadata(source), name) is not null)
        {
            throw new OnnxModelException($"{name}: expected an uncut yolov8 graph, found one whose decoding tail is already cut (metadata {RawHeadLayout.KindKey}).");
        }

        var facts = Facts(source);
        var graph = source.Graph;
        var raw = Locate(source, facts) ?? throw new OnnxModelException(
            $"{name}: expected a yolov8 graph with one output [N, 4+C, A] and exactly one tensor [N, {4 * RegMax}+C, A] before it (the raw DFL head); found none.");
        var outputShape = facts[graph.Output[0].Name].Shape!;
        var classes = (int)outputShape[1] - 4;
        var anchors = (int)outputShape[2];
        var levels = Levels(source, facts, raw, anchors, name);
        var layout = new RawHeadLayout(raw, classes, RegMax, levels, 0.5);
        CheckTailConstants(source, raw, layout, name);

        var model = source.Clone();
        graph = model.Graph;
        var producer = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var o in node.Output)
            {
                producer[o] = node;
            }
        }

        // Keep the nodes the raw head depends on, in their original order.
        var needed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>([raw]);
        while (pending.Count > 0)
        {
            if (producer.TryGetValue(pending.Pop(), out var p) && needed.Add(p))
            {
                foreach (var input in p.Input.Where(i => i.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }

        var kept = graph.Node.Where(needed.Contains).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var used = kept.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        used.Add(raw);
        var initializers = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        var droppedInitializers = graph.Initializer.Where(t => !used.Contains(t.Name)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        var inputs = graph.Input.Where(i => !droppedInitializers.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        var produced = kept.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var valueInfo = graph.ValueInfo.Where(v => produced.Contains(v.Name) && v.Name != raw).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(valueInfo);

        // The output keeps the original output's batch dimension (fixed 1 or symbolic) and element type.
        var original = graph.Output[0];
        var shape = new TensorShapeProto();
        shape.Dim.Add(original.Type.TensorType.Shape.Dim[0].Clone());
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = layout.Channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = layout.Anchors });
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto
        {
            Name = raw,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = original.Type.TensorType.ElemType, Shape = shape } },
        });

        var entries = layout.ToMetadata().Append(new(CutKey, $"decoding tail cut v{Version} (rfcnperf): was output '{original.Name}' [N, {4 + classes}, {anchors}]")).ToList();
        var keys = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var metadata = model.MetadataProps.Where(p => !keys.Contains(p.Key)).ToList();
        model.MetadataProps.Clear();
        model.MetadataProps.AddRange(metadata);
        model.MetadataProps.AddRange(entries.Select(e => new StringStringEntryProto { Key = e.Key, Value = e.Value }));

        var check = OnnxModelFile.Parse(OnnxModelFile.ToBytes(model), name + " (cut)");
        var outFacts = Facts(check);
        if (!outFacts.TryGetValue(raw, out var f) || f.Shape is not { } s || !s.SequenceEqual(new long[] { 1, layout.Channels, layout.Anchors }))
        {
            throw new OnnxModelException($"{name}: the cut graph's output '{raw}' does not infer to [1, {layout.Channels}, {layout.Anchors}] at batch 1.");
        }

        return (model, layout);
    }

    /// <summary>
    /// The raw head tensor: for a cut model the output its metadata names; for an uncut one with a single
    /// output [N, 4 + C, A], the one tensor [N, 64 + C, A]; else null. The quantizer's yolov8 head rule and
    /// the cut use this one locator.
    /// </summary>
    public static string? Locate(ModelProto model, Dictionary<string, TensorFacts>? facts = null)
    {
        var graph = model.Graph;
        if (RawHeadLayout.FromMetadata(Metadata(model), "model") is { } layout)
        {
            return graph.Output.Any(o => o.Name == layout.Output) ? layout.Output : null;
        }

        facts ??= Facts(model);
        if (graph.Output.Count != 1 || !facts.TryGetValue(graph.Output[0].Name, out var o) || o.Shape is not { Length: 3 } os)
        {
            return null;
        }

        var wanted = new[] { os[0], (4 * RegMax) + os[1] - 4, os[2] };
        var found = graph.Node.SelectMany(n => n.Output)
            .Where(t => facts.TryGetValue(t, out var f) && f.Shape is { Length: 3 } s && s.SequenceEqual(wanted))
            .ToList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The model's metadata_props as a dictionary (last entry wins).</summary>
    internal static Dictionary<string, string> Metadata(ModelProto model)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in model.MetadataProps)
        {
            map[p.Key] = p.Value;
        }

        return map;
    }

    private static Dictionary<string, TensorFacts> Facts(ModelProto model) =>
        GraphShapeInference.Run(model, (_, axis, dim) => axis == 0 && !dim.HasDimValue ? 1 : null);

    /// <summary>Levels from the chain Concat(axis 2) of Reshape([N, 64+C, H, W] -> [N, 64+C, H*W]).</summary>
    private static List<HeadLevel> Levels(ModelProto model, Dictionary<string, TensorFacts> facts, string raw, int anchors, string name)
    {
        var graph = model.Graph;
        var input = GraphShapeInference.RealInputs(graph);
        if (input.Count != 1 || !facts.TryGetValue(input[0].Name, out var inFacts) || inFacts.Shape is not { Length: 4 } inShape)
        {
            throw new OnnxModelException($"{name}: expected one image input [N, 3, H, W] to derive the anchor grid from.");
        }

        NodeProto? ProducerOf(string t) => graph.Node.FirstOrDefault(n => n.Output.Contains(t));
        var concat = ProducerOf(raw);
        var axis = concat is null ? 0 : NodeAttributes.Find(concat, "axis")?.I ?? 0;
        if (concat is not { OpType: "Concat" } || (axis != 2 && axis != -1))
        {
            throw new OnnxModelException($"{name}: the raw head '{raw}' is not a Concat along the anchor axis (found {concat?.OpType ?? "a graph input"}); cannot derive the anchor grid.");
        }

        var levels = new List<HeadLevel>();
        foreach (var part in concat.Input)
        {
            var reshape = ProducerOf(part);
            if (reshape is not { OpType: "Reshape" } || !facts.TryGetValue(reshape.Input[0], out var map) || map.Shape is not { Length: 4 } ms)
            {
                throw new OnnxModelException($"{name}: input '{part}' of the raw head's Concat '{concat.Name}' is not a Reshape of a [N, C, H, W] map; cannot derive the anchor grid.");
            }

            long h = ms[2], w = ms[3];
            if (h < 1 || w < 1 || inShape[2] % h != 0 || inShape[3] % w != 0 || inShape[2] / h != inShape[3] / w)
            {
                throw new OnnxModelException(
                    $"{name}: level map '{reshape.Input[0]}' [{string.Join(",", ms)}] does not divide the input {inShape[3]}x{inShape[2]} by one integer stride.");
            }

            levels.Add(new HeadLevel((int)w, (int)h, (int)(inShape[2] / h)));
        }

        if (levels.Sum(l => l.Anchors) != anchors)
        {
            throw new OnnxModelException($"{name}: the levels {string.Join(", ", levels)} hold {levels.Sum(l => l.Anchors)} anchors but the output has {anchors}.");
        }

        return levels;
    }

    /// <summary>
    /// The removed tail must hold the per-anchor strides [A], the anchor points [2, A] (x row, then y row, at
    /// cell + 0.5) and the DFL bin weights 0..RegMax-1 that the layout implies; anything else is refused.
    /// </summary>
    private static void CheckTailConstants(ModelProto model, string raw, RawHeadLayout layout, string name)
    {
        var graph = model.Graph;

        // Exporters store these as initializers (yolov8n's file) or as Constant nodes (yolov8s's and yolov8m's).
        var inits = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.OpType == "Constant" && n.Domain is "" or "ai.onnx"))
        {
            if (NodeAttributes.Find(node, "value")?.T is { } value && node.Output.Count == 1)
            {
                inits[node.Output[0]] = value;
            }
        }

        var reached = new HashSet<string>(StringComparer.Ordinal) { raw };
        var constants = new List<TensorProto>();
        foreach (var node in graph.Node)
        {
            if (node.Input.Any(reached.Contains))
            {
                reached.UnionWith(node.Output);
                constants.AddRange(node.Input.Where(inits.ContainsKey).Select(i => inits[i]).Where(t => t.DataType == (int)OnnxElementType.Float));
            }
        }

        var a = layout.Anchors;
        var strides = new double[a];
        var points = new double[2 * a];
        var k = 0;
        foreach (var level in layout.Levels)
        {
            for (var i = 0; i < level.Anchors; i++, k++)
            {
                strides[k] = level.Stride;
                points[k] = (i % level.GridWidth) + layout.AnchorOffset;
                points[a + k] = (i / level.GridWidth) + layout.AnchorOffset;
            }
        }

        var bins = Enumerable.Range(0, layout.RegMax).Select(i => (double)i).ToArray();
        bool Holds(double[] expected) => constants.Any(t => TensorData.ElementCount(t) == expected.Length
            && TensorData.ReadFloats(t, expected.Length) is { } v && v.SequenceEqual(expected));

        var missing = new List<string>();
        if (!Holds(strides))
        {
            missing.Add($"per-anchor strides [{a}] ({string.Join(", ", layout.Levels.Select(l => $"{l.Anchors} x {l.Stride}"))})");
        }

        if (!Holds(points))
        {
            missing.Add($"anchor points [2, {a}] at cell + {layout.AnchorOffset}");
        }

        if (!Holds(bins))
        {
            missing.Add($"DFL bin weights 0..{layout.RegMax - 1}");
        }

        if (missing.Count > 0)
        {
            throw new OnnxModelException(
                $"{name}: the decoding tail after '{raw}' does not hold the constants the derived grid implies ({string.Join("; ", missing)}); refusing to cut a tail whose decoding cannot be verified.");
        }
    }
}
