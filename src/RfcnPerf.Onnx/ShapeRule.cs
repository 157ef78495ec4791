using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>Computes a node's output facts from its inputs' facts (null: unknown or an empty optional input).</summary>
internal delegate void ShapeRule(NodeProto node, IReadOnlyList<TensorFacts?> inputs, long opset, TensorFacts?[] outputs);
