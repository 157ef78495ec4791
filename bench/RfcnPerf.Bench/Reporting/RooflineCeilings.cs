using System.Globalization;
using System.Text.RegularExpressions;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// The roofs a roofline draws: the FP32 and INT8 compute peaks of all cores with the kernels that set them, and the
/// STREAM triad bandwidth. A roof that is unknown (null) is not drawn and bounds nothing.
/// </summary>
internal sealed partial record RooflineCeilings(double? Fp32Gflops, string? Fp32Kernel, double? Int8Gops, string? Int8Kernel, double? TriadGBps)
{
    /// <summary>The ceilings in force for this run (<see cref="MachinePeak"/>).</summary>
    public static RooflineCeilings From(PeakInForce peaks) =>
        new(peaks.Fp32Gflops, peaks.Measured.Fp32Kernel, peaks.Int8Gops, peaks.Measured.Int8Kernel, peaks.TriadGBps);

    /// <summary>The compute roof of a point's precision, when known.</summary>
    public double? Compute(bool int8) => int8 ? Int8Gops : Fp32Gflops;

    /// <summary>
    /// The roof a point sits above, or null when it sits on or below every known roof: <see cref="RooflineBound.Memory"/>
    /// when bandwidth x intensity is the lower roof at its intensity, else <see cref="RooflineBound.Compute"/>.
    /// </summary>
    public RooflineBound? Exceeded(RooflinePoint point)
    {
        double? memory = TriadGBps is > 0 ? TriadGBps * point.Intensity : null;
        var compute = Compute(point.Int8);
        var memoryBinds = memory is { } m && (compute is not { } c || m < c);
        var roof = memoryBinds ? memory : compute;
        return roof is { } r && point.AchievedGops > r ? (memoryBinds ? RooflineBound.Memory : RooflineBound.Compute) : null;
    }

    /// <summary>
    /// The ceilings a run's summary.md states in its Peak and Memory bandwidth rows (<see cref="SummaryWriter"/>), with
    /// the kernels named in the Peak row's source (this version's "FP32: ...; INT8: ...;" or the earlier
    /// "UTC, FP32 kernel / INT8 kernel, STREAM triad"); null when the summary has no bandwidth row.
    /// </summary>
    public static RooflineCeilings? FromSummary(string markdown)
    {
        var bandwidth = BandwidthRow().Match(markdown);
        if (!bandwidth.Success)
        {
            return null;
        }

        var peak = PeakRow().Match(markdown);
        var kernels = KernelsNamed().Match(markdown) is { Success: true } named ? named : KernelsBefore().Match(markdown);
        return new RooflineCeilings(
            peak.Success ? Number(peak.Groups["fp32"].Value) : null,
            kernels.Success ? Kernel(kernels.Groups["fp32"].Value) : null,
            peak.Success ? Number(peak.Groups["int8"].Value) : null,
            kernels.Success ? Kernel(kernels.Groups["int8"].Value) : null,
            Number(bandwidth.Groups["triad"].Value));
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v) ? v : null;

    // "not measured" (this version), "no FMA" / "no VNNI" (before): no kernel.
    private static string? Kernel(string text) => text is "not measured" || text.StartsWith("no ", StringComparison.Ordinal) ? null : text;

    [GeneratedRegex(@"^\| Peak \| (?<fp32>[0-9.]+|n/a) GFLOP/s FP32, (?<int8>[0-9.]+|n/a) GOP/s INT8", RegexOptions.Multiline)]
    private static partial Regex PeakRow();

    [GeneratedRegex(@"^\| Memory bandwidth \| (?<triad>[0-9.]+|n/a) GB/s all cores", RegexOptions.Multiline)]
    private static partial Regex BandwidthRow();

    [GeneratedRegex(@"^\| Peak \|.*?; FP32: (?<fp32>.+?); INT8: (?<int8>.+?); STREAM triad", RegexOptions.Multiline)]
    private static partial Regex KernelsNamed();

    [GeneratedRegex(@"^\| Peak \|.*? UTC, (?<fp32>.+?) / (?<int8>.+?), STREAM triad", RegexOptions.Multiline)]
    private static partial Regex KernelsBefore();
}
