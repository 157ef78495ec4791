namespace RfcnPerf.Onnx;

/// <summary>Estimated compute of one graph node per image.</summary>
/// <param name="Name">Node name as in the graph (ONNX Runtime's profiler names kernels after it).</param>
/// <param name="Output">Name of the node's first output (ORT names the NCHWc kernel replacing a Conv after it).</param>
/// <param name="OpType">ONNX op type.</param>
/// <param name="GigaOps">10^9 operations per image (2 per multiply-add).</param>
/// <param name="Integer">True for integer (quantized) arithmetic.</param>
public sealed record NodeCompute(string Name, string Output, string OpType, double GigaOps, bool Integer);
