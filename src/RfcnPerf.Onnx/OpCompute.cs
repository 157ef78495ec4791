namespace RfcnPerf.Onnx;

/// <summary>Estimated work of one op type, in giga-operations per image (2 x multiply-adds).</summary>
/// <param name="OpType">ONNX op type, e.g. "Conv" or "QLinearConv".</param>
/// <param name="Nodes">Number of nodes of this type that were counted.</param>
/// <param name="GigaOps">Their estimated work per image, 1e9 operations.</param>
/// <param name="Integer">True for integer (quantized) arithmetic: GOPs rather than GFLOPs.</param>
public sealed record OpCompute(string OpType, int Nodes, double GigaOps, bool Integer);
