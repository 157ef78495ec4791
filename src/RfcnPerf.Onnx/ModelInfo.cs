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
    private readonly Lazy<string> sha256;
    private readonly Lazy<ComputeEstimate> compute;

    // The file hash and the compute estimate (shape inference over every node) are computed on first use:
    // a caller that only asks for the quantization format pays for neither.
    private ModelInfo(Func<string> sha256, Func<ComputeEstimate> compute)
    {
        this.sha256 = new Lazy<string>(sha256);
        this.compute = new Lazy<ComputeEstimate>(compute);
    }

    /// <summary>The file that was read.</summary>
    public required string Path { get; init; }

    /// <summary>File size in bytes.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Lower-case hex sha256 of the file (hashed on first use).</summary>
    public string Sha256 => sha256.Value;

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

    /// <summary>Estimated compute per image (shape inference runs on first use).</summary>
    public ComputeEstimate Compute => compute.Value;

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
        return Create(model, path, bytes.LongLength, () => Convert.ToHexStringLower(SHA256.HashData(bytes)), dims);
    }

    internal static ModelInfo Create(ModelProto model, string path, long fileBytes, string sha256, IReadOnlyDictionary<string, long>? dims) =>
        Create(model, path, fileBytes, () => sha256, dims);

    private static ModelInfo Create(ModelProto model, string path, long fileBytes, Func<string> sha256, IReadOnlyDictionary<string, long>? dims)
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

        var bound = dims ?? new Dictionary<string, long>();
        return new ModelInfo(sha256, () => ComputeEstimator.Estimate(model, bound))
        {
            Path = path,
            FileBytes = fileBytes,
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
        };
    }

    private static string OpKey(NodeProto node) =>
        node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}";

    /// <summary>The human-readable report printed by <c>rfcnperf model info</c>.</summary>
    public string Format() => ModelInfoText.Format(this);

    /// <summary>
    /// The report as indented JSON (numbers in shortest round-trip form). Strings are escaped for JSON only,
    /// not for embedding in HTML, so metadata such as Ultralytics' class names stays readable.
    /// </summary>
    public string ToJson() => ModelInfoText.Json(this);

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
        if (graph.Node.Any(n => OperatorTable.IsQuantizedOperator(n.OpType)))
        {
            return QuantizationFormat.QOperator;
        }

        return graph.Node.Any(n => n.OpType is "DequantizeLinear") ? QuantizationFormat.QDQ : QuantizationFormat.None;
    }
}
