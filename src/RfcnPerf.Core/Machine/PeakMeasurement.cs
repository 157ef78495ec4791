namespace RfcnPerf.Core.Machine;

/// <summary>
/// What one <see cref="PeakKernel"/> achieved. A figure is null when it could not be measured; it is never NaN or
/// infinite, so every report can print it or say <c>n/a</c>.
/// </summary>
/// <param name="Id">The kernel's <see cref="PeakKernel.Id"/>.</param>
/// <param name="Precision">FP32 or INT8.</param>
/// <param name="Kernel">The kernel's <see cref="PeakKernel.Name"/>.</param>
/// <param name="OneCore">10^9 operations per second on one thread.</param>
/// <param name="AllCores">10^9 operations per second on all threads together.</param>
public sealed record PeakMeasurement(string Id, PeakPrecision Precision, string Kernel, double? OneCore, double? AllCores);
