namespace RfcnPerf.Onnx;

/// <summary>
/// A model file that cannot be read, inspected or rewritten as asked: the message names the file, what was
/// expected and what was found.
/// </summary>
public sealed class OnnxModelException : Exception
{
    public OnnxModelException(string message)
        : base(message)
    {
    }

    public OnnxModelException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
