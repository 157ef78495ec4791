namespace RfcnPerf.Onnx;

/// <summary>Everything the library knows about one op type.</summary>
/// <param name="OpType">The ONNX op type (default or com.microsoft domain).</param>
/// <param name="Shape">Output shape rule, or null when outputs stay unknown.</param>
/// <param name="Batch">Batch rule for batchify.</param>
/// <param name="Flops">FLOP rule for the compute estimate.</param>
/// <param name="Quantization">Quantization slot.</param>
internal sealed record OpRule(string OpType, ShapeRule? Shape, BatchRule Batch, FlopRule Flops, QdqGroup Quantization);
