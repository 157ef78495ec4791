namespace RfcnPerf.Onnx;

/// <summary>
/// What static inference knows about one value: element type, shape (null when unknown) and, for small
/// constant tensors, the values themselves (integers exactly as <see cref="long"/>, floats as
/// <see cref="double"/>); constant values are what lets Shape -> Gather -> Concat -> Reshape chains fold.
/// </summary>
public sealed class TensorFacts
{
    /// <summary>Largest constant we keep values for: shape vectors and scales, not weights.</summary>
    public const int MaxFoldedElements = 4096;

    /// <summary>Facts with <paramref name="elemType"/> (an <see cref="OnnxElementType"/> value), <paramref name="shape"/> (null when unknown) and constant values when known.</summary>
    public TensorFacts(int elemType, long[]? shape, long[]? ints = null, double[]? floats = null)
    {
        ElemType = elemType;
        Shape = shape;
        Ints = ints;
        Floats = floats;
    }

    /// <summary>Element type (an <see cref="OnnxElementType"/> value).</summary>
    public int ElemType { get; }

    /// <summary>Dimensions, or null when the rank is unknown.</summary>
    public long[]? Shape { get; }

    /// <summary>The values of a small integer constant, else null.</summary>
    public long[]? Ints { get; }

    /// <summary>The values of a small float constant, else null.</summary>
    public double[]? Floats { get; }

    /// <summary>Rank, or -1 when the shape is unknown.</summary>
    public int Rank => Shape?.Length ?? -1;

    /// <summary>Number of elements, or -1 when the shape is unknown.</summary>
    public long ElementCount => Shape is null ? -1 : Product(Shape);

    /// <summary>The product of <paramref name="dims"/> (1 for none).</summary>
    public static long Product(ReadOnlySpan<long> dims)
    {
        long n = 1;
        foreach (var d in dims)
        {
            n *= d;
        }

        return n;
    }

    /// <summary>Facts of an integer tensor whose values are kept when it is small.</summary>
    public static TensorFacts FromInts(int elemType, long[] shape, long[] values) =>
        new(elemType, shape, values.Length <= MaxFoldedElements ? values : null);

    /// <summary>Facts of a float tensor whose values are kept when it is small.</summary>
    public static TensorFacts FromFloats(int elemType, long[] shape, double[] values) =>
        new(elemType, shape, null, values.Length <= MaxFoldedElements ? values : null);

    /// <summary>Type, shape and the first integer values, for messages.</summary>
    public override string ToString() =>
        $"{ElementTypes.Name(ElemType)}[{(Shape is null ? "?" : string.Join(",", Shape))}]" +
        (Ints is not null ? $" = {{{string.Join(",", Ints.Take(8))}}}" : "");
}
