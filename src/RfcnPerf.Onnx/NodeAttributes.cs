using System.Text;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>Typed access to a node's attributes with ONNX defaults.</summary>
public static class NodeAttributes
{
    public static AttributeProto? Find(NodeProto node, string name)
    {
        foreach (var a in node.Attribute)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    public static long Int(NodeProto node, string name, long fallback) =>
        Find(node, name) is { HasI: true } a ? a.I : fallback;

    public static long[]? Ints(NodeProto node, string name) =>
        Find(node, name) is { } a && (a.Ints.Count > 0 || a.Type == AttributeProto.Types.AttributeType.Ints) ? a.Ints.ToArray() : null;

    public static float Float(NodeProto node, string name, float fallback) =>
        Find(node, name) is { HasF: true } a ? a.F : fallback;

    public static float[]? Floats(NodeProto node, string name) =>
        Find(node, name) is { } a && (a.Floats.Count > 0 || a.Type == AttributeProto.Types.AttributeType.Floats) ? a.Floats.ToArray() : null;

    public static string String(NodeProto node, string name, string fallback) =>
        Find(node, name) is { HasS: true } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;
}
