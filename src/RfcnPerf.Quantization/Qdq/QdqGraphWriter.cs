using System.Globalization;
using Google.Protobuf;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The one graph builder the emitters write into: it takes over a copy of the source graph, receives the nodes
/// again in order with the QuantizeLinear/DequantizeLinear nodes the emitters add around them, collects the new
/// initializers (appended after the kept ones, in the order written), keeps node names unique and remembers the
/// quantized weights already written (a weight read by two nodes is stored once). Names derive from the tensors,
/// so the same plan and ranges give the same bytes.
/// </summary>
internal sealed class QdqGraphWriter
{
    /// <summary>Suffix of a QuantizeLinear node's name after its tensor's.</summary>
    public const string QSuffix = "_QuantizeLinear";

    /// <summary>Suffix of a DequantizeLinear node's name after its tensor's.</summary>
    public const string DqSuffix = "_DequantizeLinear";

    private readonly GraphProto graph;
    private readonly List<TensorProto> added = [];
    private readonly HashSet<string> names;
    private readonly Dictionary<string, QuantizedWeight> weights = new(StringComparer.Ordinal);

    /// <summary>Takes over <paramref name="graph"/>: its nodes are removed and come back through <see cref="AddNode"/>.</summary>
    public QdqGraphWriter(GraphProto graph)
    {
        this.graph = graph;
        names = graph.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        graph.Node.Clear();
    }

    /// <summary>Distinct quantized weights written.</summary>
    public int WeightCount => weights.Count;

    /// <summary>The name the dequantized copy of <paramref name="tensor"/> has.</summary>
    public static string DequantizedName(string tensor) => tensor + DqSuffix + "_Output";

    /// <summary>Appends a node.</summary>
    public void AddNode(NodeProto node) => graph.Node.Add(node);

    /// <summary>Appends an initializer.</summary>
    public void AddInitializer(TensorProto initializer) => added.Add(initializer);

    /// <summary><paramref name="wanted"/>, or with the first free _1, _2, ... suffix when a node already has that name.</summary>
    public string UniqueNodeName(string wanted)
    {
        var name = wanted;
        for (var i = 1; !names.Add(name); i++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{wanted}_{i}");
        }

        return name;
    }

    /// <summary>A quantized weight written earlier under <paramref name="key"/>.</summary>
    public bool TryGetWeight(string key, out QuantizedWeight weight) => weights.TryGetValue(key, out weight!);

    /// <summary>Remembers a quantized weight written under <paramref name="key"/>.</summary>
    public void RememberWeight(string key, QuantizedWeight weight) => weights.Add(key, weight);

    /// <summary>
    /// A quantized initializer <paramref name="qName"/> with its scale and zero point and the DequantizeLinear node
    /// reading it: one scale per slice along <paramref name="axis"/> (zero points 0), or one scale and
    /// <paramref name="zeroPoint"/>. Weights (int8), biases (int32) and constants alike. Returns the float output.
    /// </summary>
    public string DequantizedInitializer(string qName, OnnxElementType type, int elementBytes, byte[] data, IEnumerable<long> dims, float[] scales, int? axis, int zeroPoint = 0)
    {
        var perAxis = axis is not null;
        AddInitializer(Raw(qName, type, data, dims));
        AddInitializer(perAxis ? Vector(qName + "_scale", scales) : Scalar(qName + "_scale", scales[0]));
        AddInitializer(perAxis ? Raw(qName + "_zero_point", type, new byte[scales.Length * elementBytes], [scales.Length]) : ZeroPoint(qName + "_zero_point", type, zeroPoint));
        var dq = new NodeProto { Name = UniqueNodeName(qName + DqSuffix), OpType = "DequantizeLinear" };
        dq.Input.Add(qName);
        dq.Input.Add(qName + "_scale");
        dq.Input.Add(qName + "_zero_point");
        dq.Output.Add(DequantizedName(qName));
        if (perAxis)
        {
            dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis!.Value });
        }

        AddNode(dq);
        return DequantizedName(qName);
    }

    /// <summary>
    /// Ends the graph: float initializers no node reads any more (the weights replaced by their int8 copies) go,
    /// and so does their listing as a graph input; the new initializers follow the kept ones.
    /// </summary>
    public void Finish()
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var keep = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        var dropped = graph.Initializer.Where(t => !used.Contains(t.Name)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keep);
        graph.Initializer.AddRange(added);
        var keptInputs = graph.Input.Where(i => !dropped.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(keptInputs);
    }

    /// <summary>A float scalar.</summary>
    public static TensorProto Scalar(string name, float value)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.FloatData.Add(value);
        return t;
    }

    /// <summary>A zero point scalar of <paramref name="type"/> (int32 as data, 8-bit types as one raw byte).</summary>
    public static TensorProto ZeroPoint(string name, OnnxElementType type, int value)
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

    private static TensorProto Vector(string name, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.Dims.Add(values.Length);
        t.FloatData.AddRange(values);
        return t;
    }

    private static TensorProto Raw(string name, OnnxElementType type, byte[] data, IEnumerable<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        t.Dims.AddRange(dims);
        return t;
    }
}
