namespace RfcnPerf.Core.Machine;

/// <summary>
/// One way of measuring a compute peak (<see cref="PeakKernels.Plan"/>): a register-only micro-kernel of ours or a
/// GEMM that ONNX Runtime runs with its own kernels.
/// </summary>
/// <param name="Id">Stable identifier, e.g. <c>int8-avx512bw</c>; the cache matches measurements by it.</param>
/// <param name="Precision">FP32 or INT8.</param>
/// <param name="Name">What runs, for every report, e.g. <c>AVX-512BW vpmaddubsw+vpmaddwd zmm (register kernel)</c>.</param>
/// <param name="OnnxRuntime">True for ONNX Runtime's GEMM, false for a register kernel.</param>
public sealed record PeakKernel(string Id, PeakPrecision Precision, string Name, bool OnnxRuntime);
