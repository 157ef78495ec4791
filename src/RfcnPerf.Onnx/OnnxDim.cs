namespace RfcnPerf.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size, a symbolic name (ONNX <c>dim_param</c>, e.g. "batch"), or
/// unknown (neither set). Converts implicitly from <see cref="long"/> and <see cref="string"/>, so shapes can
/// be written as <c>new OnnxDim[] { "batch", 3, 640, 640 }</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? value, string? name)
    {
        Value = value;
        Name = name;
    }

    /// <summary>The fixed size, or null for a symbolic or unknown dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed or unknown dimension.</summary>
    public string? Name { get; }

    /// <summary>A dimension with neither size nor name.</summary>
    public static OnnxDim Unknown => default;

    public static implicit operator OnnxDim(long value) => Fixed(value);

    public static implicit operator OnnxDim(string name) => Symbolic(name);

    /// <summary>A fixed-size dimension.</summary>
    public static OnnxDim Fixed(long value) =>
        value >= 0 ? new OnnxDim(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A dimension is >= 0.");

    /// <summary>A symbolic dimension.</summary>
    public static OnnxDim Symbolic(string name) =>
        !string.IsNullOrEmpty(name) ? new OnnxDim(null, name) : throw new ArgumentException("A symbolic dimension needs a name.", nameof(name));

    /// <summary>"640", "batch" or "?".</summary>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name ?? "?";
}
