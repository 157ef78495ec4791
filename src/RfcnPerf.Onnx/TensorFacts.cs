namespace RfcnPerf.Onnx;

/// <summary>
/// What static inference knows about one value: element type, shape (null when unknown) and, for small
/// constant tensors, the values themselves (integers exactly as <see cref="long"/>, floats as
/// <see cref="double"/>); constant values are what lets Shape -> Gather -> Concat -> Reshape chains fold.
/// </summary>
internal sealed class TensorFacts
{
    /// <summary>Largest constant we keep values for: shape vectors and scales, not weights.</summary>
    public const int MaxFoldedElements = 4096;

    public TensorFacts(int elemType, long[]? shape, long[]? ints = null, double[]? floats = null)
    {
        ElemType = elemType;
        Shape = shape;
        Ints = ints;
        Floats = floats;
    }

    public int ElemType { get; }

    public long[]? Shape { get; }

    public long[]? Ints { get; }

    public double[]? Floats { get; }

    public int Rank => Shape?.Length ?? -1;

    public long ElementCount => Shape is null ? -1 : Product(Shape);

    public static long Product(ReadOnlySpan<long> dims)
    {
        long n = 1;
        foreach (var d in dims)
        {
            n *= d;
        }

        return n;
    }

    public static TensorFacts FromInts(int elemType, long[] shape, long[] values) =>
        new(elemType, shape, values.Length <= MaxFoldedElements ? values : null);

    public static TensorFacts FromFloats(int elemType, long[] shape, double[] values) =>
        new(elemType, shape, null, values.Length <= MaxFoldedElements ? values : null);

    public override string ToString() =>
        $"{ElementTypes.Name(ElemType)}[{(Shape is null ? "?" : string.Join(",", Shape))}]" +
        (Ints is not null ? $" = {{{string.Join(",", Ints.Take(8))}}}" : "");
}
