namespace RfcnPerf.Core.Models;

/// <summary>One graph input or output: name, element type (<c>float</c>, <c>uint8</c>, ...) and dimensions (-1 = symbolic).</summary>
public sealed record TensorSignature(string Name, string ElementType, long[] Dims)
{
    /// <summary>The tf2onnx-style name without a trailing <c>:0</c>.</summary>
    public string BaseName => Name.EndsWith(":0", StringComparison.Ordinal) ? Name[..^2] : Name;

    /// <summary>Rank of the tensor.</summary>
    public int Rank => Dims.Length;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} {ElementType}[{string.Join(",", Dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
