namespace RfcnPerf.Onnx;

/// <summary>One opset import of a model.</summary>
/// <param name="Domain">Operator-set domain; "ai.onnx" for the default (empty) domain.</param>
/// <param name="Version">Opset version.</param>
public sealed record OnnxOpset(string Domain, long Version)
{
    /// <summary>"ai.onnx 17".</summary>
    public override string ToString() => $"{Domain} {Version}";
}
