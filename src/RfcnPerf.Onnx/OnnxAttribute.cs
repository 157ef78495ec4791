using Google.Protobuf;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>A node attribute for <see cref="OnnxGraphBuilder"/>: build one with <see cref="Int"/>, <see cref="Ints"/>, ...</summary>
internal readonly struct OnnxAttribute
{
    private readonly AttributeProto proto;

    private OnnxAttribute(AttributeProto proto) => this.proto = proto;

    /// <summary>The attribute's name.</summary>
    public string Name => proto?.Name ?? "";

    /// <summary>An integer attribute (e.g. <c>axis</c>, <c>group</c>).</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>An integer-list attribute (e.g. <c>pads</c>, <c>perm</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return new OnnxAttribute(a);
    }

    /// <summary>A float attribute (e.g. <c>alpha</c>).</summary>
    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    /// <summary>A float-list attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return new OnnxAttribute(a);
    }

    /// <summary>A string attribute (e.g. <c>mode</c>, <c>auto_pad</c>).</summary>
    public static OnnxAttribute String(string name, string value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    internal static OnnxAttribute Tensor(string name, TensorProto value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value });

    internal AttributeProto ToProto() =>
        proto?.Clone() ?? throw new InvalidOperationException("default(OnnxAttribute) has no value; use OnnxAttribute.Int(...) etc.");
}
