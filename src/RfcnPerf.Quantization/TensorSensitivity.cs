namespace RfcnPerf.Quantization;

/// <summary>How much one quantized activation differs from FP32 on the calibration images.</summary>
/// <param name="Tensor">Activation name in the FP32 graph.</param>
/// <param name="SqnrDb">Signal-to-quantization-noise ratio 10 log10(sum x^2 / sum (x - x_int8)^2) in dB; higher is better.</param>
/// <param name="Elements">Values compared.</param>
public sealed record TensorSensitivity(string Tensor, double SqnrDb, long Elements);
