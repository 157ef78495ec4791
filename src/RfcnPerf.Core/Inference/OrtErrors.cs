using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Core.Inference;

/// <summary>
/// ONNX Runtime's errors as user errors: its message opens with one line that says what failed (the status code,
/// the node and the reason) and goes on with the C++ source location and stack, which a user cannot act on.
/// </summary>
public static class OrtErrors
{
    /// <summary>A <see cref="RfcnPerfException"/> reading "<paramref name="context"/>: first line of ORT's message".</summary>
    public static RfcnPerfException ToUserError(OnnxRuntimeException ex, string context)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new RfcnPerfException($"{context}: {ex.Message.Split('\n', 2)[0].Trim()}", ex);
    }
}
