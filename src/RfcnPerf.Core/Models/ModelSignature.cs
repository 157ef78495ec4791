namespace RfcnPerf.Core.Models;

/// <summary>A model's graph inputs (initializers excluded) and outputs, as ONNX Runtime reports them.</summary>
public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"inputs [{string.Join("; ", Inputs)}], outputs [{string.Join("; ", Outputs)}]";
}
