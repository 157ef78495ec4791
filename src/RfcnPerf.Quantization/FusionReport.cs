using System.Globalization;
using System.Text;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization;

/// <summary>
/// What ONNX Runtime made of a QDQ model: its optimized graph (SessionOptions.OptimizedModelFilePath) read
/// back and compared with the QDQ graph. A float operator of the QDQ graph that ORT fused disappears together
/// with its Q/DQ pairs and an int8 kernel (QLinearConv, com.microsoft QLinearSigmoid, ...) takes its place; one
/// that did not fuse is still there as a float operator between DequantizeLinear and QuantizeLinear.
/// </summary>
/// <param name="OptimizedOps">Op histogram of the optimized graph (domain-qualified when not default), most frequent first.</param>
/// <param name="Int8Kernels">Optimized nodes that compute on 8-bit integers (QLinear*, QGemm, ConvInteger, MatMulInteger, uint8 data movement).</param>
/// <param name="QuantizeNodes">QuantizeLinear nodes left in the optimized graph.</param>
/// <param name="DequantizeNodes">DequantizeLinear nodes left in the optimized graph.</param>
/// <param name="FloatConvs">Conv / FusedConv / NCHWc conv nodes left (float convolutions).</param>
/// <param name="QdqConvs">Conv nodes of the QDQ graph with dequantized weights.</param>
/// <param name="LeftInFloat">Quantized nodes of the QDQ graph that still run as float ops, with the reason where it can be told.</param>
public sealed record FusionReport(
    IReadOnlyList<KeyValuePair<string, int>> OptimizedOps,
    int Int8Kernels,
    int QuantizeNodes,
    int DequantizeNodes,
    int FloatConvs,
    int QdqConvs,
    IReadOnlyList<Fp32Node> LeftInFloat)
{
    /// <summary>Integer convolution kernels in the optimized graph.</summary>
    public int Int8Convs => OptimizedOps.Where(kv => OpType(kv.Key) is var op && OperatorTable.CanonicalOperator(op) == "Conv" && OperatorTable.IsIntegerKernel(op)).Sum(kv => kv.Value);

    /// <summary>True when most quantized Conv nodes did not become integer kernels: the model is not really INT8.</summary>
    public bool MostConvsNotFused => QdqConvs > 0 && Int8Convs * 2 < QdqConvs;

    /// <summary>
    /// Reads the optimized graph ORT wrote and compares it with the QDQ model it came from.
    /// </summary>
    public static FusionReport Analyze(byte[] qdqModel, string optimizedModelPath)
    {
        var qdq = OnnxModelFile.Parse(qdqModel, "quantized model");
        var optimized = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimizedModelPath));
        return Analyze(qdq, optimized);
    }

    internal static FusionReport Analyze(ModelProto qdq, ModelProto optimized)
    {
        var ops = optimized.Graph.Node
            .GroupBy(n => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}.{n.OpType}")
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();

        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var n in optimized.Graph.Node)
        {
            foreach (var o in n.Output)
            {
                producers[o] = n;
            }
        }

        var int8Initializers = optimized.Graph.Initializer
            .Where(t => t.DataType is (int)OnnxElementType.UInt8 or (int)OnnxElementType.Int8)
            .Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        bool IsInt8Producer(string t) => int8Initializers.Contains(t)
            || (producers.TryGetValue(t, out var p) && (p.OpType == "QuantizeLinear" || IsInt8Kernel(p, IsInt8Producer)));

        var int8 = 0;
        foreach (var n in optimized.Graph.Node)
        {
            if (IsInt8Kernel(n, IsInt8Producer))
            {
                int8++;
            }
        }

        // A quantized float op of the QDQ graph: a data input comes from a DequantizeLinear and its output goes
        // into a QuantizeLinear (an FP32 node merely reading a dequantized tensor is not one). A node ORT keeps in
        // float by rule (QuantOpRules.KeptFloatByOrt: linear Resize) is FP32 by design, not a failed fusion.
        var qdqProducers = qdq.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(x => x.o, x => x.n, StringComparer.Ordinal);
        var quantizedTensors = qdq.Graph.Node.Where(n => n.OpType == "QuantizeLinear").Select(n => n.Input[0]).ToHashSet(StringComparer.Ordinal);
        // An activation ORT folds into the Q after it (Relu/Clip, QuantPattern.FusedActivation) passes that on.
        foreach (var act in qdq.Graph.Node.Where(n => QuantOpRules.For(n.Domain, n.OpType)?.Pattern == QuantPattern.FusedActivation
                                                      && n.Output.Any(quantizedTensors.Contains)))
        {
            quantizedTensors.Add(act.Input[0]);
        }

        bool FromDq(string t) => qdqProducers.TryGetValue(t, out var p) && p.OpType == "DequantizeLinear";
        var quantizedFloatOps = qdq.Graph.Node
            .Where(n => n.OpType is not ("QuantizeLinear" or "DequantizeLinear") && n.Input.Any(FromDq)
                        && n.Output.Any(quantizedTensors.Contains) && QuantOpRules.KeptFloatByOrt(n) is null)
            .ToList();
        var optimizedByName = optimized.Graph.Node.Where(n => n.Name.Length > 0)
            .GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var left = new List<Fp32Node>();
        foreach (var n in quantizedFloatOps)
        {
            if (!optimizedByName.TryGetValue(n.Name, out var o) || IsInt8Kernel(o, IsInt8Producer))
            {
                continue;
            }

            if (o.Input.Any(i => producers.TryGetValue(i, out var p) && p.OpType == "DequantizeLinear"))
            {
                left.Add(new Fp32Node(n.Name, o.OpType, Reason(n, o, qdq)));
            }
        }

        return new FusionReport(
            ops, int8,
            optimized.Graph.Node.Count(n => n.OpType == "QuantizeLinear"),
            optimized.Graph.Node.Count(n => n.OpType == "DequantizeLinear"),
            optimized.Graph.Node.Count(n => OperatorTable.CanonicalOperator(n.OpType) == "Conv" && !OperatorTable.IsIntegerKernel(n.OpType)),
            quantizedFloatOps.Count(n => n.OpType == "Conv"),
            left);
    }

    /// <summary>Multi-line text for the CLI.</summary>
    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"fusion       ONNX Runtime optimized graph: {Int8Kernels} int8 kernels, {Int8Convs} of {QdqConvs} quantized Conv fused, ")
          .Append(ci, $"{FloatConvs} float Conv left, {QuantizeNodes} QuantizeLinear + {DequantizeNodes} DequantizeLinear left\n");
        sb.Append("             ops: ").Append(string.Join(", ", OptimizedOps.Select(kv => $"{kv.Key} {kv.Value}"))).Append('\n');
        if (LeftInFloat.Count > 0)
        {
            sb.Append(ci, $"             {LeftInFloat.Count} quantized node(s) still run in float: ");
            sb.Append(string.Join("; ", LeftInFloat.GroupBy(l => (l.OpType, l.Reason)).Select(g => $"{g.Key.OpType} x{g.Count()} ({g.Key.Reason}, e.g. {g.First().Name})")));
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The op type of a histogram key (<c>domain.OpType</c> or <c>OpType</c>).</summary>
    private static string OpType(string key) => key[(key.LastIndexOf('.') + 1)..];

    // Both lists come from the operator table: integer kernels, and data movement ORT runs on uint8 once it dropped
    // the Q/DQ around it (MaxPool becomes NhwcMaxPool).
    private static bool IsInt8Kernel(NodeProto n, Func<string, bool> int8Input) =>
        OperatorTable.IsIntegerKernel(n.OpType) || (OperatorTable.IsDataMovement(n.OpType) && n.Input.Count > 0 && int8Input(n.Input[0]));

    private static string Reason(NodeProto qdqNode, NodeProto optimizedNode, ModelProto qdq)
    {
        var zpType = qdq.Graph.Node.FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Output.Contains(qdqNode.Input[0])) is { } dq && dq.Input.Count > 2
            ? qdq.Graph.Initializer.FirstOrDefault(t => t.Name == dq.Input[2])?.DataType
            : null;
        if (zpType == (int)OnnxElementType.Int8 && qdqNode.OpType == "Conv")
        {
            return "int8 activations: ORT fuses an S8 Conv only when its input/output Q/DQ pair has a single consumer; use --activations u8";
        }

        return optimizedNode.OpType == qdqNode.OpType
            ? "ORT found no int8 kernel for this pattern"
            : $"ORT rewrote it to float {optimizedNode.OpType}";
    }
}
