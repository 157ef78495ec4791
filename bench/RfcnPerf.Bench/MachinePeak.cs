using System.Globalization;

namespace RfcnPerf.Bench;

/// <summary>
/// The machine's arithmetic peak that achieved GFLOP/s are compared with. Defaults are the figures of
/// docs/BENCHMARKING.md, measured on the development machine (2 Zen 5 cores) with a register-only micro-kernel:
/// 440 GFLOP/s FP32 FMA and 1,660 GOP/s INT8 (vpdpbusd), both cores together. On another machine set
/// <c>RFCNPERF_PEAK_FP32_GFLOPS</c> and <c>RFCNPERF_PEAK_INT8_GOPS</c> (all cores together).
/// </summary>
internal static class MachinePeak
{
    private const double DocsFp32Gflops = 440;
    private const double DocsInt8Gops = 1660;
    private const int DocsCores = 2;

    /// <summary>FP32 peak of all cores, GFLOP/s.</summary>
    public static double Fp32Gflops { get; } = Read("RFCNPERF_PEAK_FP32_GFLOPS", DocsFp32Gflops);

    /// <summary>INT8 peak of all cores, GOP/s.</summary>
    public static double Int8Gops { get; } = Read("RFCNPERF_PEAK_INT8_GOPS", DocsInt8Gops);

    /// <summary>Where the figures come from, for the summary.</summary>
    public static string Source =>
        Environment.GetEnvironmentVariable("RFCNPERF_PEAK_FP32_GFLOPS") is { Length: > 0 } || Environment.GetEnvironmentVariable("RFCNPERF_PEAK_INT8_GOPS") is { Length: > 0 }
            ? "RFCNPERF_PEAK_FP32_GFLOPS / RFCNPERF_PEAK_INT8_GOPS"
            : string.Create(CultureInfo.InvariantCulture, $"docs/BENCHMARKING.md, measured with a register-only micro-kernel on the {DocsCores}-core development machine; on another machine set RFCNPERF_PEAK_FP32_GFLOPS / RFCNPERF_PEAK_INT8_GOPS");

    /// <summary>
    /// Peak for a precision when the process may use <paramref name="cores"/> of the
    /// <paramref name="physicalCores"/> cores (the peak scales with cores).
    /// </summary>
    public static double For(bool int8, int cores, int physicalCores) =>
        (int8 ? Int8Gops : Fp32Gflops) * Math.Clamp(cores, 1, physicalCores) / physicalCores;

    private static double Read(string variable, double fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : fallback;
}
