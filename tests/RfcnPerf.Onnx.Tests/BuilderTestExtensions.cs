namespace RfcnPerf.Onnx.Tests;

/// <summary>Shorthands for the shape-inference test graphs.</summary>
internal static class BuilderTestExtensions
{
    /// <summary>Declares the named values as outputs without shapes, so ONNX Runtime reports its own.</summary>
    public static OnnxGraphBuilder Outputs(this OnnxGraphBuilder builder, params string[] names)
    {
        foreach (var name in names)
        {
            builder.OutputOfUnknownShape(name, OnnxElementType.Undefined);
        }

        return builder;
    }

    /// <summary>A scalar float initializer.</summary>
    public static OnnxGraphBuilder Initializer(this OnnxGraphBuilder builder, string name, float value) =>
        builder.Initializer(name, [value]);

    /// <summary>A scalar int64 initializer.</summary>
    public static OnnxGraphBuilder Initializer(this OnnxGraphBuilder builder, string name, long value) =>
        builder.Initializer(name, [value]);
}
