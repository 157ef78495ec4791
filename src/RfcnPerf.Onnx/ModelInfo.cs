using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// What <c>rfcnperf model info</c> reports about an ONNX file: its interface (inputs and outputs), format
/// (IR version, opsets, producer, metadata), structure (node count, op histogram), parameters, quantization
/// format, batch dimension and estimated compute per image. <see cref="Format"/> renders the text report and
/// <see cref="ToJson"/> the machine-readable one.
/// </summary>
public sealed class ModelInfo
{
    private static readonly HashSet<string> FloatCounted = new(StringComparer.Ordinal) { "Conv", "ConvTranspose", "Gemm", "MatMul" };
    private static readonly HashSet<string> IntegerCounted = new(StringComparer.Ordinal) { "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger" };

    private ModelInfo()
    {
    }

    /// <summary>The file that was read.</summary>
    public required string Path { get; init; }

    /// <summary>File size in bytes.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Lower-case hex sha256 of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>ONNX IR version.</summary>
    public required long IrVersion { get; init; }

    /// <summary>Opset imports.</summary>
    public required IReadOnlyList<OnnxOpset> Opsets { get; init; }

    /// <summary>Producer name (e.g. "pytorch").</summary>
    public required string ProducerName { get; init; }

    /// <summary>Producer version.</summary>
    public required string ProducerVersion { get; init; }

    /// <summary>The model's metadata_props, in file order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; }

    /// <summary>Real model inputs (graph inputs that are not initializers).</summary>
    public required IReadOnlyList<ModelTensorInfo> Inputs { get; init; }

    /// <summary>Graph outputs.</summary>
    public required IReadOnlyList<ModelTensorInfo> Outputs { get; init; }

    /// <summary>Initializers that the file also lists as graph inputs (not reported as inputs).</summary>
    public required int InitializersListedAsInputs { get; init; }

    /// <summary>Nodes in the main graph.</summary>
    public required int NodeCount { get; init; }

    /// <summary>Op type (prefixed by its domain when not the default one) to node count, most frequent first.</summary>
    public required IReadOnlyList<KeyValuePair<string, int>> OpHistogram { get; init; }

    /// <summary>Number of initializers.</summary>
    public required int InitializerCount { get; init; }

    /// <summary>Total elements in all initializers.</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Total bytes of all initializers' values.</summary>
    public required long ParameterBytes { get; init; }

    /// <summary>Initializers whose data lives in external files.</summary>
    public required int ExternalTensors { get; init; }

    /// <summary>How the model is quantized.</summary>
    public required QuantizationFormat Quantization { get; init; }

    /// <summary>True when every real input's first dimension is symbolic (batch > 1 possible).</summary>
    public required bool BatchIsDynamic { get; init; }

    /// <summary>Estimated compute per image.</summary>
    public required ComputeEstimate Compute { get; init; }

    /// <summary>
    /// Reads <paramref name="path"/>. Symbolic input dimensions are bound for the compute estimate: a
    /// symbolic first dimension (the batch) to 1, any other from <paramref name="dims"/> by name (e.g. H=600);
    /// unbound ones leave the shapes that depend on them unresolved, and the report says which nodes.
    /// </summary>
    /// <exception cref="OnnxModelException">The file is missing, not ONNX, truncated or malformed.</exception>
    public static ModelInfo Read(string path, IReadOnlyDictionary<string, long>? dims = null)
    {
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new OnnxModelException($"{path}: model file not found.");
        var model = OnnxModelFile.Parse(bytes, path);
        return Create(model, path, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), dims);
    }

    internal static ModelInfo Create(ModelProto model, string path, long fileBytes, string sha256, IReadOnlyDictionary<string, long>? dims)
    {
        var graph = model.Graph;
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var realInputs = GraphShapeInference.RealInputs(graph);
        var histogram = graph.Node
            .GroupBy(OpKey)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();

        return new ModelInfo
        {
            Path = path,
            FileBytes = fileBytes,
            Sha256 = sha256,
            IrVersion = model.IrVersion,
            Opsets = model.OpsetImport.Select(o => new OnnxOpset(o.Domain.Length == 0 ? "ai.onnx" : o.Domain, o.Version)).ToList(),
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Metadata = model.MetadataProps.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList(),
            Inputs = realInputs.Select(Describe).ToList(),
            Outputs = graph.Output.Select(Describe).ToList(),
            InitializersListedAsInputs = graph.Input.Count(i => initializerNames.Contains(i.Name)),
            NodeCount = graph.Node.Count,
            OpHistogram = histogram,
            InitializerCount = graph.Initializer.Count,
            ParameterCount = graph.Initializer.Sum(TensorData.ElementCount),
            ParameterBytes = graph.Initializer.Sum(TensorData.ByteSize),
            ExternalTensors = graph.Initializer.Count(TensorData.IsExternal),
            Quantization = DetectQuantization(graph),
            BatchIsDynamic = realInputs.Count > 0 && realInputs.All(i =>
                i.Type?.TensorType?.Shape is { Dim.Count: > 0 } s && !s.Dim[0].HasDimValue),
            Compute = EstimateCompute(model, dims ?? new Dictionary<string, long>()),
        };
    }

    /// <summary>The human-readable report printed by <c>rfcnperf model info</c>.</summary>
    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(ci, $"{label,-13}{text}\n");

        Line("model", $"{Path} ({FileBytes.ToString("N0", ci)} bytes, sha256 {Sha256})");
        Line("format", $"ONNX IR {IrVersion}; opsets {string.Join(", ", Opsets)}");
        Line("producer", ProducerName.Length == 0 ? "(not recorded)" : $"{ProducerName} {ProducerVersion}".TrimEnd());
        if (Metadata.Count > 0)
        {
            Line("metadata", string.Join("; ", Metadata.Select(kv => $"{kv.Key}={Shorten(kv.Value, 80)}")));
        }

        for (var i = 0; i < Inputs.Count; i++)
        {
            Line(i == 0 ? "inputs" : "", Inputs[i].ToString());
        }

        if (InitializersListedAsInputs > 0)
        {
            Line(Inputs.Count == 0 ? "inputs" : "", $"(+{InitializersListedAsInputs} initializers also listed as graph inputs: parameters, not shown)");
        }

        for (var i = 0; i < Outputs.Count; i++)
        {
            Line(i == 0 ? "outputs" : "", Outputs[i].ToString());
        }

        Line("batch", BatchIsDynamic ? "dynamic (symbolic first input dimension)" : "fixed (`rfcnperf model batchify` can open it)");
        Line("nodes", $"{NodeCount}: {string.Join(", ", OpHistogram.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Line("parameters", $"{ParameterCount.ToString("N0", ci)} in {InitializerCount} initializers, {FormatBytes(ParameterBytes)}" +
                           (ExternalTensors > 0 ? $" ({ExternalTensors} stored in external files)" : ""));
        Line("quantization", Quantization switch
        {
            QuantizationFormat.QOperator => "QOperator (quantized operators: QLinearConv etc.)",
            QuantizationFormat.QDQ => "QDQ (QuantizeLinear/DequantizeLinear around float operators)",
            _ => "none",
        });

        var c = Compute;
        var totals = new List<string>();
        if (c.ByOp.Any(o => !o.Integer) || c.ByOp.Count == 0)
        {
            totals.Add($"{c.FloatGflops.ToString("F2", ci)} GFLOPs (float)");
        }

        if (c.ByOp.Any(o => o.Integer))
        {
            totals.Add($"{c.IntegerGops.ToString("F2", ci)} GOPs (integer)");
        }

        Line("compute", $"{string.Join(" + ", totals)} per image, 2 x multiply-adds of Conv/ConvTranspose/Gemm/MatMul and quantized forms");
        Line("", $"by op: {(c.ByOp.Count == 0 ? "(none)" : string.Join(", ", c.ByOp.Select(o => $"{o.OpType} x{o.Nodes} {o.GigaOps.ToString("F3", ci)}")))}");
        var how = $"from {c.Method} at batch {c.Batch}" + (c.Bindings.Count > 0 ? $" (bound: {string.Join(", ", c.Bindings)})" : "");
        Line("", how + (c.Complete
            ? "; all counted nodes resolved"
            : $"; {c.UnresolvedNodes.Count} node(s) unresolved, their work is missing (a lower bound): " +
              $"{string.Join(", ", c.UnresolvedNodes.Take(5))}{(c.UnresolvedNodes.Count > 5 ? ", ..." : "")}; bind symbolic dims with --dim NAME=VALUE"));
        return sb.ToString();
    }

    /// <summary>
    /// The report as indented JSON (numbers in shortest round-trip form). Strings are escaped for JSON only,
    /// not for embedding in HTML, so metadata such as Ultralytics' class names stays readable.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("path", Path);
            w.WriteNumber("fileBytes", FileBytes);
            w.WriteString("sha256", Sha256);
            w.WriteNumber("irVersion", IrVersion);
            w.WriteStartArray("opsets");
            foreach (var o in Opsets)
            {
                w.WriteStartObject();
                w.WriteString("domain", o.Domain);
                w.WriteNumber("version", o.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("producerName", ProducerName);
            w.WriteString("producerVersion", ProducerVersion);
            w.WriteStartObject("metadata");
            foreach (var kv in Metadata)
            {
                w.WriteString(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            WriteTensors(w, "inputs", Inputs);
            WriteTensors(w, "outputs", Outputs);
            w.WriteNumber("initializersListedAsInputs", InitializersListedAsInputs);
            w.WriteBoolean("batchIsDynamic", BatchIsDynamic);
            w.WriteNumber("nodeCount", NodeCount);
            w.WriteStartObject("opHistogram");
            foreach (var kv in OpHistogram)
            {
                w.WriteNumber(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            w.WriteNumber("initializerCount", InitializerCount);
            w.WriteNumber("parameterCount", ParameterCount);
            w.WriteNumber("parameterBytes", ParameterBytes);
            w.WriteNumber("externalTensors", ExternalTensors);
            w.WriteString("quantization", Quantization.ToString());
            w.WriteStartObject("compute");
            w.WriteString("method", Compute.Method);
            w.WriteNumber("batch", Compute.Batch);
            w.WriteNumber("floatGflopsPerImage", Compute.FloatGflops);
            w.WriteNumber("integerGopsPerImage", Compute.IntegerGops);
            w.WriteBoolean("complete", Compute.Complete);
            w.WriteStartArray("byOp");
            foreach (var o in Compute.ByOp)
            {
                w.WriteStartObject();
                w.WriteString("opType", o.OpType);
                w.WriteNumber("nodes", o.Nodes);
                w.WriteNumber("gigaOpsPerImage", o.GigaOps);
                w.WriteBoolean("integer", o.Integer);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("bindings");
            foreach (var b in Compute.Bindings)
            {
                w.WriteStringValue(b);
            }

            w.WriteEndArray();
            w.WriteStartArray("unresolvedNodes");
            foreach (var n in Compute.UnresolvedNodes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<ModelTensorInfo> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("elementType", t.ElementType);
            if (t.Shape is null)
            {
                w.WriteNull("shape");
            }
            else
            {
                w.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    if (d.Value is { } v)
                    {
                        w.WriteNumberValue(v);
                    }
                    else if (d.Name is { } n)
                    {
                        w.WriteStringValue(n);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string OpKey(NodeProto node) =>
        node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}";

    internal static ModelTensorInfo Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null)
        {
            return new ModelTensorInfo(value.Name, value.Type is null ? "(no type)" : "(non-tensor)", null);
        }

        var shape = tensor.Shape?.Dim.Select(d => d.HasDimValue ? OnnxDim.Fixed(d.DimValue)
            : d.HasDimParam && d.DimParam.Length > 0 ? OnnxDim.Symbolic(d.DimParam) : OnnxDim.Unknown).ToList();
        return new ModelTensorInfo(value.Name, ElementTypes.Name(tensor.ElemType), shape);
    }

    private static QuantizationFormat DetectQuantization(GraphProto graph)
    {
        if (graph.Node.Any(n => IntegerCounted.Contains(n.OpType) || n.OpType.StartsWith("QLinear", StringComparison.Ordinal)))
        {
            return QuantizationFormat.QOperator;
        }

        return graph.Node.Any(n => n.OpType is "DequantizeLinear") ? QuantizationFormat.QDQ : QuantizationFormat.None;
    }

    private static ComputeEstimate EstimateCompute(ModelProto model, IReadOnlyDictionary<string, long> dims)
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
        var byNode = new List<NodeCompute>();
        for (var i = 0; i < model.Graph.Node.Count; i++)
        {
            var node = model.Graph.Node[i];
            var integer = IntegerCounted.Contains(node.OpType);
            if (!integer && !FloatCounted.Contains(node.OpType))
            {
                continue;
            }

            var ops = CountOps(node, facts);
            if (ops is null)
            {
                unresolved.Add(OnnxGraphValidator.Describe(node, i));
                continue;
            }

            var entry = perOp.GetValueOrDefault(node.OpType);
            perOp[node.OpType] = (entry.Nodes + 1, entry.Ops + ops.Value, integer);
            byNode.Add(new NodeCompute(node.Name, node.Output.Count > 0 ? node.Output[0] : string.Empty, node.OpType, ops.Value / batch / 1e9, integer));
        }

        var byOp = perOp
            .Select(kv => new OpCompute(kv.Key, kv.Value.Nodes, kv.Value.Ops / batch / 1e9, kv.Value.Integer))
            .OrderByDescending(o => o.GigaOps)
            .ToList();
        var (weightBytes, activationBytes) = TrafficEstimate.Bytes(model, facts);
        return new ComputeEstimate(byOp, unresolved, bindings.ToList(), batch) { ByNode = byNode, WeightBytes = weightBytes, ActivationBytesPerImage = activationBytes / batch };
    }

    /// <summary>2 x multiply-adds of one node, or null when its shapes are unknown.</summary>
    private static double? CountOps(NodeProto node, Dictionary<string, TensorFacts> facts)
    {
        TensorFacts? F(int i) => i < node.Input.Count && facts.TryGetValue(node.Input[i], out var f) ? f : null;
        var output = node.Output.Count > 0 && facts.TryGetValue(node.Output[0], out var o) ? o : null;
        switch (node.OpType)
        {
            case "Conv" or "ConvInteger" or "QLinearConv":
                {
                    // Each output element: (C / group) x prod(kernel) multiply-adds = prod(W.shape[1..]).
                    var w = F(node.OpType == "QLinearConv" ? 3 : 1)?.Shape;
                    return output?.Shape is null || w is null ? null : 2.0 * output.ElementCount * TensorFacts.Product(w.AsSpan(1));
                }

            case "ConvTranspose":
                {
                    // Each input element scatters into (M / group) x prod(kernel) outputs = prod(W.shape[1..]).
                    var x = F(0);
                    var w = F(1)?.Shape;
                    return x?.Shape is null || w is null || output?.Shape is null ? null : 2.0 * x.ElementCount * TensorFacts.Product(w.AsSpan(1));
                }

            case "MatMul" or "MatMulInteger" or "QLinearMatMul" or "Gemm":
                {
                    var a = F(0)?.Shape;
                    if (output?.Shape is null || a is null || a.Length == 0)
                    {
                        return null;
                    }

                    var k = node.OpType == "Gemm" && NodeAttributes.Int(node, "transA", 0) != 0 ? a[0] : a[^1];
                    return 2.0 * output.ElementCount * k;
                }

            default:
                return null;
        }
    }

    private static string Shorten(string text, int max)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : string.Concat(oneLine.AsSpan(0, max - 3), "...");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
