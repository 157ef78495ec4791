using RfcnPerf.Core.Machine;

namespace RfcnPerf.Bench;

/// <summary>
/// The machine's arithmetic peaks and bandwidth that achieved rates are compared with: measured by
/// <c>rfcnperf machine</c>'s micro-kernels on this machine (cached per machine; measured on first use), unless
/// <c>RFCNPERF_PEAK_FP32_GFLOPS</c> / <c>RFCNPERF_PEAK_INT8_GOPS</c> override them explicitly.
/// </summary>
internal static class MachinePeak
{
    private static readonly Lazy<PeakInForce> Resolved = new(() => PeakInForce.Resolve(MachineInfo.Current(), log: Console.WriteLine));

    /// <summary>The figures in force and their origin.</summary>
    public static PeakInForce InForce => Resolved.Value;

    /// <summary>FP32 peak of all cores, GFLOP/s; null when unknown.</summary>
    public static double? Fp32Gflops => InForce.Fp32Gflops;

    /// <summary>INT8 peak of all cores, GOP/s; null when unknown.</summary>
    public static double? Int8Gops => InForce.Int8Gops;

    /// <summary>Where the figures come from, for the summary.</summary>
    public static string Source => InForce.Source;

}
