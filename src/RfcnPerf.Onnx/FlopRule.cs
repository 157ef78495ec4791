namespace RfcnPerf.Onnx;

/// <summary>An op's FLOP rule.</summary>
/// <param name="Kind">What is counted.</param>
/// <param name="WeightInput">Input index of the weight tensor (Conv family).</param>
/// <param name="Integer">Counted as integer operations (quantized ops) rather than floating point.</param>
internal readonly record struct FlopRule(FlopKind Kind, int WeightInput = 1, bool Integer = false);
