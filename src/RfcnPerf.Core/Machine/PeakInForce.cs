using System.Globalization;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The ceilings achieved rates are compared with, and where they came from: the figures
/// <c>rfcnperf machine</c> measured on this machine (cached), unless <see cref="MachinePeaks.Fp32OverrideVariable"/> /
/// <see cref="MachinePeaks.Int8OverrideVariable"/> override them explicitly. A ceiling that is not known is null,
/// never NaN: reports print <c>n/a</c> for it and every percentage of it.
/// </summary>
/// <param name="Fp32Gflops">FP32 GFLOP/s of all cores; null when not measured.</param>
/// <param name="Int8Gops">INT8 GOP/s of all cores; null when not measured.</param>
/// <param name="TriadGBps">Memory bandwidth of all cores (STREAM triad), GB/s; null when not measured.</param>
/// <param name="Source">One line naming the origin and the kernels, for summaries and reports.</param>
/// <param name="Measured">The measured figures (also when a variable overrides a compute peak).</param>
public sealed record PeakInForce(double? Fp32Gflops, double? Int8Gops, double? TriadGBps, string Source, MachinePeaks Measured)
{
    /// <summary>
    /// Resolves the peaks for this machine: the cached measurement (measured now, 10-20 s, when there is none),
    /// with the environment variables' values taking precedence where set.
    /// </summary>
    public static PeakInForce Resolve(MachineInfo machine, string? cacheDir = null, Action<string>? log = null) =>
        From(MachinePeaks.LoadOrMeasure(machine, cacheDir, log));

    /// <summary>The peaks in force given <paramref name="measured"/> figures and the override variables.</summary>
    public static PeakInForce From(MachinePeaks measured)
    {
        var fp32 = Read(MachinePeaks.Fp32OverrideVariable);
        var int8 = Read(MachinePeaks.Int8OverrideVariable);
        var inv = CultureInfo.InvariantCulture;
        var origin = string.Create(inv,
            $"measured by `rfcnperf machine` on this machine ({measured.MeasuredUtc:yyyy-MM-dd HH:mm} UTC; FP32: {measured.Fp32Kernel ?? "not measured"}; INT8: {measured.Int8Kernel ?? "not measured"}; STREAM triad; load average then {measured.LoadAverage ?? "unknown"})");
        var source = fp32 is null && int8 is null
            ? origin
            : string.Create(inv, $"{(fp32 is null ? string.Empty : $"FP32 from {MachinePeaks.Fp32OverrideVariable}={fp32:F0}")}{(fp32 is not null && int8 is not null ? ", " : string.Empty)}{(int8 is null ? string.Empty : $"INT8 from {MachinePeaks.Int8OverrideVariable}={int8:F0}")} (explicit override); otherwise {origin}");
        return new PeakInForce(fp32 ?? measured.Fp32Gflops, int8 ?? measured.Int8Gops, measured.TriadGBps, source, measured);
    }

    /// <summary>
    /// Peak for a precision when the process may use <paramref name="cores"/> of the
    /// <paramref name="physicalCores"/> cores (compute peaks scale with cores); null when that peak is unknown.
    /// </summary>
    public double? For(bool int8, int cores, int physicalCores) =>
        (int8 ? Int8Gops : Fp32Gflops) * Math.Clamp(cores, 1, Math.Max(1, physicalCores)) / Math.Max(1, physicalCores);

    /// <summary>
    /// <paramref name="rate"/> (10^9 operations per second) as a percentage of the peak for <paramref name="cores"/>;
    /// null when the peak or the rate is unknown.
    /// </summary>
    public double? PercentOf(double? rate, bool int8, int cores, int physicalCores) =>
        rate is { } r && double.IsFinite(r) && For(int8, cores, physicalCores) is { } peak and > 0 ? 100 * r / peak : null;

    private static double? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v
            : null;
}
