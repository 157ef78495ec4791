using System.Globalization;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Quantization.Calibration;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Static QDQ quantization of an FP32 ONNX model (ONNX Runtime's recommended format): <see cref="Prepare"/>
/// runs the plan pass (<see cref="QdqPlanner"/>: which nodes are quantized, by <see cref="QuantOpRules"/> minus
/// exclusions and the family's FP32 tail, and which activations need calibration); the caller runs
/// <see cref="CalibrationModel"/> (the FP32 graph with those activations as extra outputs) over its images into
/// <see cref="TensorStatistics"/>; <see cref="Build"/> then walks the nodes in order through one
/// <see cref="QdqGraphWriter"/>: the emitter of each quantized node's pattern writes its int8 weights (per output
/// channel), int32 biases (scale = input scale x weight scale) and quantized constants, and a
/// QuantizeLinear/DequantizeLinear pair follows every quantized activation, with names derived from the tensors,
/// so the same inputs give the same bytes.
/// </summary>
public sealed class QdqQuantizer
{
    /// <summary>Bumped whenever the output for the same inputs changes (part of cache keys).</summary>
    public const int Version = 4;

    private readonly ModelProto model;
    private readonly string source;
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly HashSet<string> graphInputs;
    private readonly QdqPlan plan;

    private QdqQuantizer(ModelProto model, string source, QuantizeOptions options)
    {
        this.model = model;
        this.source = source;
        Options = options;
        initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        graphInputs = GraphShapeInference.RealInputs(model.Graph).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        plan = QdqPlanner.Plan(model, source, options, initializers, graphInputs);
    }

    /// <summary>The options in force.</summary>
    public QuantizeOptions Options { get; }

    /// <summary>Activations whose statistics <see cref="Build"/> needs (graph inputs included), in graph order.</summary>
    public IReadOnlyList<string> CalibrationTensors => plan.CalibrationTensors;

    /// <summary>Every quantized activation (the tensors that get a Q/DQ pair), in graph order.</summary>
    public IReadOnlyList<string> QuantizedActivations => plan.Activations;

    /// <summary>Nodes that stay FP32 and why.</summary>
    public IReadOnlyList<Fp32Node> Fp32Nodes => plan.Fp32Nodes;

    /// <summary>Number of nodes that will be quantized.</summary>
    public int QuantizedNodeCount => plan.QuantizedNodeCount;

    /// <summary>The plan (for tests of the plan pass).</summary>
    internal QdqPlan Plan => plan;

    /// <summary>The name the dequantized copy of activation <paramref name="tensor"/> has in the built model.</summary>
    public static string DequantizedName(string tensor) => QdqGraphWriter.DequantizedName(tensor);

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

        return new QdqQuantizer(Check(modelPath), modelPath, options);
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
        return ExposeOutputs(built, plan.Activations.Where(t => !graphInputs.Contains(t)).Select(DequantizedName));
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
        var scales = ActivationScales.From(plan, calibrated, Options.UnsignedActivations, source);
        var result = model.Clone();
        var upgraded = Options.PerChannel && GraphShapeInference.DefaultOpset(result) < 13 && Opset13Upgrade.TryApply(result);
        var perChannel = Options.PerChannel && GraphShapeInference.DefaultOpset(result) >= 13;
        var nodes = result.Graph.Node.ToList();
        var writer = new QdqGraphWriter(result.Graph);
        var context = new QdqEmitContext(writer, scales, initializers, perChannel, Options.UnsignedActivations, source);
        foreach (var input in result.Graph.Input.Where(i => graphInputs.Contains(i.Name) && plan.IsQuantized(i.Name)))
        {
            ActivationQdqEmitter.Emit(input.Name, context);
        }

        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            var sourceInputs = node.Input.ToArray();
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (plan.IsQuantized(node.Input[i]))
                {
                    node.Input[i] = DequantizedName(node.Input[i]);
                }
            }

            if (plan.Nodes[n].Pattern is { } pattern)
            {
                QdqEmitters.For(pattern).Emit(node, sourceInputs, context);
            }

            writer.AddNode(node);
            foreach (var output in node.Output.Where(plan.IsQuantized))
            {
                ActivationQdqEmitter.Emit(output, context);
            }
        }

        writer.Finish();
        SetMetadata(result, $"{Options.Describe()}; quantizer v{Version}; {provenance}");
        var bytes = OnnxModelFile.ToBytes(result);
        OnnxModelFile.Parse(bytes, source + " (quantized)");
        var byOp = plan.Nodes.Where(p => p.Quantized).GroupBy(p => p.OpType)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        return new QuantizedModel(bytes, QuantizedNodeCount, plan.Activations.Count, writer.WeightCount, byOp, plan.Fp32Nodes, upgraded, perChannel,
            scales.ByCalibrationTensor.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    private static void SetMetadata(ModelProto model, string value)
    {
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == "rfcnperf.quantize");
        if (entry is null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "rfcnperf.quantize", Value = value });
        }
        else
        {
            entry.Value = value;
        }
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
}
