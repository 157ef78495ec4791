namespace RfcnPerf.Core.Models;

/// <summary>
/// A model's graph inputs (initializers excluded) and outputs, as ONNX Runtime reports them, and its
/// <c>metadata_props</c> (where a rewritten model declares what it is, e.g. a cut decoding tail).
/// </summary>
public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    /// <summary>The model's custom metadata (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        $"inputs [{string.Join("; ", Inputs)}], outputs [{string.Join("; ", Outputs)}]";
}
