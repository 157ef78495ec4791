using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Quantization.Calibration;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Static QDQ quantization of an FP32 ONNX model (ONNX Runtime's recommended format): <see cref="Prepare"/>
/// decides which nodes are quantized (<see cref="QuantOpRules"/>, minus exclusions and the family's FP32
/// tail) and which activations need calibration; the caller runs <see cref="CalibrationModel"/> (the FP32
/// graph with those activations as extra outputs) over its images into <see cref="TensorStatistics"/>;
/// <see cref="Build"/> then writes QuantizeLinear/DequantizeLinear pairs after every quantized activation,
/// int8 symmetric weights (per output channel), int32 biases (scale = input scale x weight scale), in node
/// order with names derived from the tensors, so the same inputs give the same bytes.
/// </summary>
public sealed class QdqQuantizer
{
    /// <summary>Bumped whenever the output for the same inputs changes (part of cache keys).</summary>
    public const int Version = 4;

    private const string QSuffix = "_QuantizeLinear";
    private const string DqSuffix = "_DequantizeLinear";

    private readonly ModelProto model;
    private readonly string source;
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly HashSet<string> graphInputs;
    private readonly List<string> activations = [];
    private readonly Dictionary<string, string> sharesWith = new(StringComparer.Ordinal);
    private readonly bool[] quantizedNode;
    private readonly List<Fp32Node> fp32 = [];

    private QdqQuantizer(ModelProto model, string source, QuantizeOptions options)
    {
        this.model = model;
        this.source = source;
        Options = options;
        initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        graphInputs = GraphShapeInference.RealInputs(model.Graph).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        quantizedNode = new bool[model.Graph.Node.Count];
    }

    /// <summary>The options in force.</summary>
    public QuantizeOptions Options { get; }

    /// <summary>Activations whose statistics <see cref="Build"/> needs (graph inputs included), in graph order.</summary>
    public IReadOnlyList<string> CalibrationTensors => activations.Where(a => !sharesWith.ContainsKey(a)).ToList();

    /// <summary>Every quantized activation (the tensors that get a Q/DQ pair), in graph order.</summary>
    public IReadOnlyList<string> QuantizedActivations => activations;

    /// <summary>Nodes that stay FP32 and why.</summary>
    public IReadOnlyList<Fp32Node> Fp32Nodes => fp32;

    /// <summary>Number of nodes that will be quantized.</summary>
    public int QuantizedNodeCount => quantizedNode.Count(q => q);

    /// <summary>The name the dequantized copy of activation <paramref name="tensor"/> has in the built model.</summary>
    public static string DequantizedName(string tensor) => tensor + DqSuffix + "_Output";

    /// <summary>
    /// Reads and checks <paramref name="modelPath"/> and plans the quantization. Refuses (with
    /// <see cref="OnnxModelException"/>) a model that is already quantized, stores data externally, or whose
    /// exclusions name nothing.
    /// </summary>
    public static QdqQuantizer Prepare(string modelPath, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Method == CalibrationMethod.Percentile && !(options.Percentile > 50 && options.Percentile <= 100))
        {
            throw new OnnxModelException($"--percentile expects a value in (50, 100], found {options.Percentile.ToString(CultureInfo.InvariantCulture)}.");
        }

        var model = Check(modelPath);
        var quantizer = new QdqQuantizer(model, modelPath, options);
        quantizer.Plan();
        return quantizer;
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/> and refuses what the quantizer cannot take: a malformed file, a model
    /// that is already quantized (QDQ or QOperator), weights in external files.
    /// </summary>
    public static void CheckQuantizable(string modelPath) => Check(modelPath);

    private static ModelProto Check(string modelPath)
    {
        var model = OnnxModelFile.Load(modelPath);
        var graph = model.Graph;
        if (graph.Node.FirstOrDefault(n => OperatorTable.MarksQuantizedGraph(n.OpType)) is { } q)
        {
            throw new OnnxModelException(
                $"{modelPath}: expected an FP32 model, found an already quantized one (node '{q.Name}' is {q.OpType}); quantize its FP32 source instead.");
        }

        if (graph.Initializer.FirstOrDefault(TensorData.IsExternal) is { } ext)
        {
            throw new OnnxModelException(
                $"{modelPath}: initializer '{ext.Name}' stores its data in an external file; the quantizer needs every weight inside the .onnx file (save the model without external data).");
        }

        return model;
    }

    /// <summary>The FP32 model with every calibration tensor that is not a graph input added as an extra float output.</summary>
    public byte[] CalibrationModel() => ExposeOutputs(model, CalibrationTensors.Where(t => !graphInputs.Contains(t)));

    /// <summary>
    /// A built QDQ model with the dequantized copy of every quantized activation (except graph inputs) exposed,
    /// for the sensitivity report: output <c>DequantizedName(t)</c> is what the INT8 graph computes for t.
    /// </summary>
    public byte[] SensitivityModel(byte[] quantizedModel)
    {
        var built = OnnxModelFile.Parse(quantizedModel, source + " (quantized)");
        return ExposeOutputs(built, activations.Where(t => !graphInputs.Contains(t)).Select(DequantizedName));
    }

    /// <summary>
    /// Writes the QDQ model from calibration statistics (one per <see cref="CalibrationTensors"/> entry);
    /// <paramref name="provenance"/> (e.g. the calibration set's hash) is recorded in the model's metadata.
    /// </summary>
    public QuantizedModel Build(IReadOnlyDictionary<string, TensorStatistics> statistics, string provenance) =>
        BuildFromRanges(Ranges(statistics), provenance);

    /// <summary>
    /// The range each <see cref="CalibrationTensors"/> entry is quantized with, by the options' method: what
    /// calibration hands to <see cref="BuildFromRanges"/>.
    /// </summary>
    public IReadOnlyDictionary<string, (double Lo, double Hi)> Ranges(IReadOnlyDictionary<string, TensorStatistics> statistics)
    {
        var measured = new Dictionary<string, (double Lo, double Hi)>(StringComparer.Ordinal);
        foreach (var t in CalibrationTensors)
        {
            if (!statistics.TryGetValue(t, out var stats) || stats.Count == 0)
            {
                throw new OnnxModelException($"{source}: no calibration statistics for tensor '{t}' (the calibration run produced none).");
            }

            measured[t] = stats.Range(Options.Method, Options.Percentile);
        }

        return measured;
    }

    /// <summary>
    /// Writes the QDQ model from <paramref name="calibrated"/> ranges (one per <see cref="CalibrationTensors"/> entry): the model's
    /// bytes depend only on the source graph, the options, these ranges and <paramref name="provenance"/>, never
    /// on the CPU (no ONNX Runtime here).
    /// </summary>
    public QuantizedModel BuildFromRanges(IReadOnlyDictionary<string, (double Lo, double Hi)> calibrated, string provenance)
    {
        var unsigned = Options.UnsignedActivations;
        var measured = new Dictionary<string, (double Lo, double Hi)>(StringComparer.Ordinal);
        foreach (var t in CalibrationTensors)
        {
            measured[t] = calibrated.TryGetValue(t, out var r)
                ? r
                : throw new OnnxModelException($"{source}: no calibrated range for tensor '{t}'.");
        }

        var ranges = measured.ToDictionary(kv => kv.Key, kv => QuantParams.ForActivation(kv.Value.Lo, kv.Value.Hi, unsigned), StringComparer.Ordinal);
        if (Options.ConcatSharesScale)
        {
            foreach (var group in ConcatScaleGroups())
            {
                var shared = QuantParams.ForActivation(group.Min(t => measured[t].Lo), group.Max(t => measured[t].Hi), unsigned);
                foreach (var t in group)
                {
                    ranges[t] = shared;
                }
            }
        }

        QuantParams ParamsOf(string t) => ranges[Root(t)];

        var result = model.Clone();
        var graph = result.Graph;
        var upgraded = Options.PerChannel && GraphShapeInference.DefaultOpset(result) < 13 && UpgradeToOpset13(result);
        var perChannel = Options.PerChannel && GraphShapeInference.DefaultOpset(result) >= 13;
        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        var newInits = new List<TensorProto>();
        var quantized = activations.ToHashSet(StringComparer.Ordinal);
        var actType = unsigned ? OnnxElementType.UInt8 : OnnxElementType.Int8;
        var weightCache = new Dictionary<string, (string Name, float[] Scales)>(StringComparer.Ordinal);
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);

        string UniqueNodeName(string wanted)
        {
            var name = wanted;
            for (var i = 1; !names.Add(name); i++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{wanted}_{i}");
            }

            return name;
        }

        void EmitQdq(string tensor)
        {
            var p = ParamsOf(tensor);
            var scale = tensor + "_scale";
            var zp = tensor + "_zero_point";
            newInits.Add(Scalar(scale, p.Scale));
            newInits.Add(ZeroPoint(zp, actType, p.ZeroPoint));
            var q = new NodeProto { Name = UniqueNodeName(tensor + QSuffix), OpType = "QuantizeLinear" };
            q.Input.Add(tensor);
            q.Input.Add(scale);
            q.Input.Add(zp);
            q.Output.Add(tensor + QSuffix + "_Output");
            var dq = new NodeProto { Name = UniqueNodeName(tensor + DqSuffix), OpType = "DequantizeLinear" };
            dq.Input.Add(tensor + QSuffix + "_Output");
            dq.Input.Add(scale);
            dq.Input.Add(zp);
            dq.Output.Add(DequantizedName(tensor));
            graph.Node.Add(q);
            graph.Node.Add(dq);
        }

        string EmitConstant(string name, TensorProto init)
        {
            // A float constant input of Add/Mul/Concat: uint8/int8 per-tensor from its own range, DQ only.
            var values = TensorData.ReadFloats(init, checked((int)TensorData.ElementCount(init)))
                ?? throw new OnnxModelException($"{source}: initializer '{name}' has no readable float data.");
            var p = QuantParams.ForActivation(values.DefaultIfEmpty().Min(), values.DefaultIfEmpty().Max(), unsigned);
            var (qmin, qmax) = unsigned ? (0, 255) : (-128, 127);
            var bytes = values.Select(v => (byte)p.Quantize((float)v, qmin, qmax)).ToArray();
            var qName = name + "_quantized";
            newInits.Add(Raw(qName, actType, bytes, init.Dims));
            newInits.Add(Scalar(qName + "_scale", p.Scale));
            newInits.Add(ZeroPoint(qName + "_zero_point", actType, p.ZeroPoint));
            var dq = new NodeProto { Name = UniqueNodeName(qName + DqSuffix), OpType = "DequantizeLinear" };
            dq.Input.Add(qName);
            dq.Input.Add(qName + "_scale");
            dq.Input.Add(qName + "_zero_point");
            dq.Output.Add(DequantizedName(qName));
            graph.Node.Add(dq);
            return DequantizedName(qName);
        }

        // Int8 symmetric weights, one scale per slice along `outputAxis` (the output channel: 0 for Conv and a Gemm
        // with transB, 1 for a 2-D MatMul B and a Gemm without), or one scale (not per channel, or no such axis).
        (string Name, float[] Scales) EmitWeights(string name, TensorProto init, int? outputAxis)
        {
            var axis = perChannel ? outputAxis : null;
            var key = string.Create(CultureInfo.InvariantCulture, $"{name}\n{axis}");
            if (weightCache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var count = checked((int)TensorData.ElementCount(init));
            var w = TensorData.ReadFloats(init, count) ?? throw new OnnxModelException($"{source}: weight '{name}' has no readable float data.");
            var channels = axis is { } a ? (int)init.Dims[a] : 1;
            var inner = axis is { } b ? (int)TensorFacts.Product(init.Dims.Skip(b + 1).ToArray()) : count;
            int Channel(int i) => (i / inner) % channels;
            var absMax = new double[channels];
            for (var i = 0; i < count; i++)
            {
                absMax[Channel(i)] = Math.Max(absMax[Channel(i)], Math.Abs(w[i]));
            }

            var p = absMax.Select(QuantParams.ForWeights).ToArray();
            var scales = p.Select(x => x.Scale).ToArray();
            var q = new byte[count];
            for (var i = 0; i < count; i++)
            {
                q[i] = unchecked((byte)(sbyte)p[Channel(i)].Quantize((float)w[i], -QuantParams.WeightMax, QuantParams.WeightMax));
            }

            var qName = axis is null or 0 ? name + "_quantized" : string.Create(CultureInfo.InvariantCulture, $"{name}_axis{axis}_quantized");
            weightCache[key] = (EmitDequantizedInitializer(qName, OnnxElementType.Int8, 1, q, init.Dims, scales, axis), scales);
            return weightCache[key];
        }

        string EmitBias(NodeProto conv, string name, TensorProto init, float inputScale, float[] weightScales)
        {
            var count = checked((int)TensorData.ElementCount(init));
            var b = TensorData.ReadFloats(init, count) ?? throw new OnnxModelException($"{source}: bias '{name}' has no readable float data.");
            var scales = new float[count];
            var q = new byte[count * 4];
            for (var c = 0; c < count; c++)
            {
                var (s, v) = QuantParams.QuantizeBias((float)b[c], inputScale, weightScales[weightScales.Length == 1 ? 0 : c]);
                scales[c] = s;
                BinaryPrimitives.WriteInt32LittleEndian(q.AsSpan(c * 4), v);
            }

            return EmitDequantizedInitializer($"{conv.Name}_{name}_quantized", OnnxElementType.Int32, 4, q, init.Dims, scales, weightScales.Length > 1 ? 0 : null);
        }

        // A quantized initializer with its scale and zero point (zero, one per slice along `axis` when given) and
        // the DequantizeLinear node reading it: weights (int8) and biases (int32) alike. Returns the float output.
        string EmitDequantizedInitializer(string qName, OnnxElementType type, int elementBytes, byte[] data, IEnumerable<long> dims, float[] scales, int? axis)
        {
            var perAxis = axis is not null;
            newInits.Add(Raw(qName, type, data, dims));
            newInits.Add(perAxis ? Vector(qName + "_scale", scales) : Scalar(qName + "_scale", scales[0]));
            newInits.Add(perAxis ? Raw(qName + "_zero_point", type, new byte[scales.Length * elementBytes], [scales.Length]) : ZeroPoint(qName + "_zero_point", type, 0));
            var dq = new NodeProto { Name = UniqueNodeName(qName + DqSuffix), OpType = "DequantizeLinear" };
            dq.Input.Add(qName);
            dq.Input.Add(qName + "_scale");
            dq.Input.Add(qName + "_zero_point");
            dq.Output.Add(DequantizedName(qName));
            if (perAxis)
            {
                dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis!.Value });
            }

            graph.Node.Add(dq);
            return DequantizedName(qName);
        }

        foreach (var input in graph.Input.Where(i => graphInputs.Contains(i.Name) && quantized.Contains(i.Name)))
        {
            EmitQdq(input.Name);
        }

        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            var originalInputs = node.Input.ToArray();
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (quantized.Contains(node.Input[i]))
                {
                    node.Input[i] = DequantizedName(node.Input[i]);
                }
            }

            if (quantizedNode[n])
            {
                var rule = QuantOpRules.For(node.Domain, node.OpType)!;
                if (rule.Pattern is QuantPattern.Conv or QuantPattern.Gemm)
                {
                    // Conv: weights [M, C/g, k...] per output channel M (axis 0). Gemm: QGemm takes B per column of
                    // the output, axis 0 of B when transB, else 1. An activation B (Gemm) has its own Q/DQ pair.
                    var gemm = rule.Pattern is QuantPattern.Gemm;
                    float[] wScales;
                    if (initializers.TryGetValue(originalInputs[1], out var w))
                    {
                        (node.Input[1], wScales) = EmitWeights(originalInputs[1], w, gemm && NodeAttributes.Int(node, "transB", 0) == 0 ? 1 : 0);
                    }
                    else
                    {
                        wScales = [ParamsOf(originalInputs[1]).Scale];
                    }

                    if (originalInputs.Length > 2 && originalInputs[2].Length > 0)
                    {
                        node.Input[2] = EmitBias(node, originalInputs[2], initializers[originalInputs[2]], ParamsOf(originalInputs[0]).Scale, wScales);
                    }
                }
                else if (rule.Pattern is QuantPattern.MatMul or QuantPattern.Binary or QuantPattern.Variadic or QuantPattern.Where)
                {
                    // MatMul's constant B [K, N]: int8 per column N (axis 1), which QLinearMatMul accepts for a 2-D B.
                    for (var i = rule.Pattern is QuantPattern.Where ? 1 : 0; i < originalInputs.Length; i++)
                    {
                        if (initializers.TryGetValue(originalInputs[i], out var init))
                        {
                            node.Input[i] = rule.Pattern == QuantPattern.MatMul && i == 1
                                ? EmitWeights(originalInputs[i], init, init.Dims.Count == 2 ? 1 : null).Name
                                : EmitConstant(originalInputs[i], init);
                        }
                    }
                }
            }

            graph.Node.Add(node);
            foreach (var output in node.Output)
            {
                if (quantized.Contains(output))
                {
                    EmitQdq(output);
                }
            }
        }

        // Float weights replaced by their int8 copies go away (and so does their listing as a graph input).
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var keep = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        var dropped = graph.Initializer.Where(t => !used.Contains(t.Name)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keep);
        graph.Initializer.AddRange(newInits);
        var keptInputs = graph.Input.Where(i => !dropped.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(keptInputs);

        var meta = $"{Options.Describe()}; quantizer v{Version}; {provenance}";
        var entry = result.MetadataProps.FirstOrDefault(p => p.Key == "rfcnperf.quantize");
        if (entry is null)
        {
            result.MetadataProps.Add(new StringStringEntryProto { Key = "rfcnperf.quantize", Value = meta });
        }
        else
        {
            entry.Value = meta;
        }

        var bytes = OnnxModelFile.ToBytes(result);
        OnnxModelFile.Parse(bytes, source + " (quantized)");
        return new QuantizedModel(bytes, QuantizedNodeCount, activations.Count, weightCache.Count,
            quantizedNode.Select((q, i) => (q, nodes[i].OpType)).Where(x => x.q).GroupBy(x => x.OpType)
                .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
            fp32, upgraded, perChannel, ranges.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// Calibration tensors that must share one scale and zero point so that every quantized Concat has the same
    /// parameters on its inputs and its output (then ONNX Runtime's QLinearConcat copies bytes instead of
    /// requantizing each input through a lookup table): the inputs' and output's roots, joined transitively
    /// (a tensor feeding two Concats joins both groups). Only groups of two or more roots.
    /// </summary>
    private List<List<string>> ConcatScaleGroups()
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
        var quantized = activations.ToHashSet(StringComparer.Ordinal);
        for (var n = 0; n < nodes.Count; n++)
        {
            if (!quantizedNode[n] || nodes[n].OpType != "Concat")
            {
                continue;
            }

            var output = Find(Root(nodes[n].Output[0]));
            parent.TryAdd(output, output);
            foreach (var input in nodes[n].Input.Where(quantized.Contains))
            {
                var root = Find(Root(input));
                parent.TryAdd(root, root);
                if (root != output)
                {
                    parent[root] = output;
                }
            }
        }

        return parent.Keys.GroupBy(Find, StringComparer.Ordinal).Select(g => g.Order(StringComparer.Ordinal).ToList()).Where(g => g.Count > 1).ToList();
    }

    private string Root(string tensor)
    {
        while (sharesWith.TryGetValue(tensor, out var from))
        {
            tensor = from;
        }

        return tensor;
    }

    private void Plan()
    {
        var graph = model.Graph;
        var facts = GraphShapeInference.Run(model, (_, axis, dim) => axis == 0 && !dim.HasDimValue ? 1 : null);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var o in graph.Node[i].Output)
            {
                producer[o] = i;
            }

            foreach (var input in graph.Node[i].Input.Where(x => x.Length > 0).Distinct(StringComparer.Ordinal))
            {
                consumers[input] = consumers.GetValueOrDefault(input) + 1;
            }
        }

        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var tail = TailNodes(facts);
        var unmatched = Options.Exclude.Where(e => !graph.Node.Any(n => n.Name == e || n.OpType == e)).ToList();
        if (unmatched.Count > 0)
        {
            throw new OnnxModelException($"{source}: --exclude {string.Join(", ", unmatched)} names no node and no op type of the graph.");
        }

        bool IsFloatActivation(string t) =>
            t.Length > 0 && !initializers.ContainsKey(t) && facts.TryGetValue(t, out var f) && f.ElemType == (int)OnnxElementType.Float;

        bool IsFloatInitializer(string t) =>
            initializers.TryGetValue(t, out var init) && init.DataType == (int)OnnxElementType.Float;

        var marked = new HashSet<string>(StringComparer.Ordinal);
        void Mark(string t)
        {
            if (marked.Add(t))
            {
                activations.Add(t);
            }
        }

        var fusedInputs = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            var rule = QuantOpRules.For(node.Domain, node.OpType);
            string? reason = null;
            if (rule is null)
            {
                reason = "no int8 kernel for this op in the quantizer's table";
            }
            else if (Options.Exclude.Contains(node.Name) || Options.Exclude.Contains(node.OpType))
            {
                reason = "excluded (--exclude)";
            }
            else if (tail.Contains(n))
            {
                reason = $"family decoding tail kept FP32 ({Options.Tail})";
            }
            else if (Options.KeepStemFp32 && IsStem(node, facts))
            {
                reason = "image stem kept FP32 (a Conv on the <= 4-channel image input: the int8 kernel is slower there; --quantize-stem quantizes it)";
            }
            else if (node.Output.Any(graphOutputs.Contains))
            {
                reason = "produces a graph output (ONNX Runtime fuses no node whose output leaves the graph)";
            }
            else
            {
                reason = Unsupported(node, rule, IsFloatActivation, IsFloatInitializer, facts);
            }

            if (reason is not null)
            {
                fp32.Add(new Fp32Node(node.Name, node.OpType, reason));
                continue;
            }

            quantizedNode[n] = true;
            switch (rule!.Pattern)
            {
                case QuantPattern.Conv:
                    Mark(node.Input[0]);
                    Mark(node.Output[0]);
                    break;
                case QuantPattern.MatMul or QuantPattern.Binary or QuantPattern.Variadic or QuantPattern.Gemm or QuantPattern.Where:
                    // Where's condition (input 0) is bool and stays as it is; a Gemm's activation C was refused above.
                    foreach (var input in node.Input.Skip(rule.Pattern is QuantPattern.Where ? 1 : 0).Where(IsFloatActivation))
                    {
                        Mark(input);
                    }

                    Mark(node.Output[0]);
                    break;
                case QuantPattern.Unary:
                    Mark(node.Input[0]);
                    Mark(node.Output[0]);
                    break;
                case QuantPattern.SharedScale:
                    Mark(node.Input[0]);
                    foreach (var o in node.Output.Where(o => o.Length > 0))
                    {
                        Mark(o);
                        sharesWith[o] = node.Input[0];
                    }

                    break;
                case QuantPattern.FusedActivation:
                    var x = node.Input[0];
                    if (producer.TryGetValue(x, out var p) && quantizedNode[p]
                        && QuantOpRules.For(graph.Node[p].Domain, graph.Node[p].OpType)?.Pattern is QuantPattern.Conv or QuantPattern.MatMul or QuantPattern.Gemm
                        && consumers.GetValueOrDefault(x) == 1 && !graphOutputs.Contains(x))
                    {
                        fusedInputs.Add(x);
                    }
                    else
                    {
                        Mark(x);
                    }

                    Mark(node.Output[0]);
                    break;
            }
        }

        activations.RemoveAll(fusedInputs.Contains);
        if (QuantizedNodeCount == 0)
        {
            throw new OnnxModelException($"{source}: no node can be quantized (none of its ops is in the quantizer's table, or all were excluded).");
        }
    }

    private string? Unsupported(NodeProto node, QuantRule rule, Func<string, bool> isFloatActivation, Func<string, bool> isFloatInitializer, Dictionary<string, TensorFacts> facts)
    {
        if (QuantOpRules.KeptFloatByOrt(node) is { } kept)
        {
            return kept;
        }

        switch (rule.Pattern)
        {
            case QuantPattern.Conv:
                if (!isFloatActivation(node.Input[0]))
                {
                    return "input is not a float activation";
                }

                if (node.Input.Count < 2 || !isFloatInitializer(node.Input[1]))
                {
                    return "weights are not a float initializer";
                }

                if (node.Input.Count > 2 && node.Input[2].Length > 0 && !isFloatInitializer(node.Input[2]))
                {
                    return "bias is not a float initializer";
                }

                return null;
            case QuantPattern.MatMul or QuantPattern.Binary or QuantPattern.Variadic:
                return node.Input.All(i => isFloatActivation(i) || isFloatInitializer(i)) && node.Input.Any(isFloatActivation)
                    ? null
                    : "inputs are not all float tensors";
            case QuantPattern.Gemm:
                // GemmNodeGroupSelector: A and B (and C when present) each behind a DQ, C as int32 (so a constant
                // of the output's width N, quantized at A scale x B scale) and beta 1.
                if (node.Input.Count < 2 || !isFloatActivation(node.Input[0]) || !(isFloatActivation(node.Input[1]) || isFloatInitializer(node.Input[1])))
                {
                    return "A is not a float activation or B is not a float tensor";
                }

                if (node.Input.Count > 2 && node.Input[2].Length > 0)
                {
                    if (NodeAttributes.Float(node, "beta", 1f) != 1f)
                    {
                        return "beta is not 1 (QGemm adds C unscaled)";
                    }

                    if (!isFloatInitializer(node.Input[2]) || initializers[node.Input[2]].Dims is not [var length]
                        || !facts.TryGetValue(node.Output[0], out var y) || y.Shape is not [_, var width] || width != length)
                    {
                        return "C is not a constant vector of the output's width (QGemm takes an int32 bias per output column)";
                    }
                }

                return null;
            case QuantPattern.Where:
                // WhereNodeGroupSelector: X and Y behind a DQ each, the bool condition as it is.
                return node.Input.Count == 3 && !isFloatActivation(node.Input[0]) && !isFloatInitializer(node.Input[0])
                       && node.Input.Skip(1).All(i => isFloatActivation(i) || isFloatInitializer(i)) && node.Input.Skip(1).Any(isFloatActivation)
                    ? null
                    : "X and Y are not float tensors with a non-float condition";
            default:
                return isFloatActivation(node.Input[0]) ? null : "input is not a float activation";
        }
    }

    /// <summary>A Conv whose data input is a real graph input with at most <see cref="QuantizeOptions.StemMaxChannels"/> channels.</summary>
    private bool IsStem(NodeProto node, Dictionary<string, TensorFacts> facts) =>
        node.OpType == "Conv" && node.Input.Count > 0 && graphInputs.Contains(node.Input[0])
        && facts.TryGetValue(node.Input[0], out var input) && input.Shape is [_, var channels, ..] && channels is > 0 and <= QuantizeOptions.StemMaxChannels;

    /// <summary>Indices of the nodes of the family's FP32 tail.</summary>
    private HashSet<int> TailNodes(Dictionary<string, TensorFacts> facts)
    {
        var graph = model.Graph;
        var tail = new HashSet<int>();
        switch (Options.Tail)
        {
            case HeadTail.RawHeadBeforeDfl:
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

                break;
            case HeadTail.AfterLastConv:
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

                break;
        }

        return tail;
    }

    private static byte[] ExposeOutputs(ModelProto source, IEnumerable<string> tensors)
    {
        var augmented = source.Clone();
        var existing = augmented.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (existing.Add(t))
            {
                augmented.Graph.Output.Add(new ValueInfoProto
                {
                    Name = t,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)OnnxElementType.Float } },
                });
            }
        }

        return OnnxModelFile.ToBytes(augmented);
    }

    /// <summary>
    /// Per-channel DequantizeLinear (axis) needs opset 13. The ops whose signature changed between 10 and 13
    /// and that detectors use are converted (Split's, Squeeze's and Unsqueeze's attributes become inputs, an
    /// empty Resize `scales` next to `sizes` becomes absent);
    /// a graph with other changed ops keeps its opset and falls back to per-tensor weights.
    /// </summary>
    private static bool UpgradeToOpset13(ModelProto model)
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

    private static TensorProto Scalar(string name, float value)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.FloatData.Add(value);
        return t;
    }

    private static TensorProto Vector(string name, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.Dims.Add(values.Length);
        t.FloatData.AddRange(values);
        return t;
    }

    private static TensorProto ZeroPoint(string name, OnnxElementType type, int value)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        if (type == OnnxElementType.Int32)
        {
            t.Int32Data.Add(value);
        }
        else
        {
            t.RawData = ByteString.CopyFrom(unchecked((byte)value));
        }

        return t;
    }

    private static TensorProto Raw(string name, OnnxElementType type, byte[] data, IEnumerable<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        t.Dims.AddRange(dims);
        return t;
    }
}

/// <summary>A node that stays FP32 in the quantized model.</summary>
/// <param name="Name">Node name.</param>
/// <param name="OpType">Op type.</param>
/// <param name="Reason">Why it is not quantized.</param>
public sealed record Fp32Node(string Name, string OpType, string Reason);

/// <summary>The result of <see cref="QdqQuantizer.Build"/>.</summary>
/// <param name="Bytes">The serialized QDQ model.</param>
/// <param name="QuantizedNodes">Nodes wrapped in Q/DQ.</param>
/// <param name="QuantizedActivations">Activations with a Q/DQ pair.</param>
/// <param name="QuantizedWeights">Weight tensors stored as int8.</param>
/// <param name="QuantizedByOp">Quantized nodes per op type.</param>
/// <param name="Fp32Nodes">Nodes left FP32 and why.</param>
/// <param name="OpsetUpgraded">The graph was moved to opset 13 for per-channel weights.</param>
/// <param name="PerChannel">Weights have per-output-channel scales.</param>
/// <param name="Activations">Quantization parameters of every calibrated activation.</param>
public sealed record QuantizedModel(
    byte[] Bytes,
    int QuantizedNodes,
    int QuantizedActivations,
    int QuantizedWeights,
    IReadOnlyList<KeyValuePair<string, int>> QuantizedByOp,
    IReadOnlyList<Fp32Node> Fp32Nodes,
    bool OpsetUpgraded,
    bool PerChannel,
    IReadOnlyDictionary<string, QuantParams> Activations);
