namespace RfcnPerf.Onnx;

/// <summary>A graph input or output: name, element type ("float32", "uint8", ...) and shape.</summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="ElementType">numpy-style element type name, e.g. "float32".</param>
/// <param name="Shape">Dimensions, or null when the model declares no shape (rank unknown).</param>
public sealed record ModelTensorInfo(string Name, string ElementType, IReadOnlyList<OnnxDim>? Shape)
{
    /// <summary>"images float32 [1,3,640,640]".</summary>
    public override string ToString() => $"{Name} {ElementType} {FormatShape(Shape)}";

    internal static string FormatShape(IReadOnlyList<OnnxDim>? shape) =>
        shape is null ? "[rank unknown]" : $"[{string.Join(",", shape)}]";
}
