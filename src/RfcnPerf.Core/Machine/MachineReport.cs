using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// What <c>rfcnperf machine</c> prints: the machine description, every peak kernel's figures with the one that sets
/// each peak marked, the triad and the ridge points, as text or JSON. Only measured figures of this machine appear;
/// a figure that is unknown prints <see cref="NotAvailable"/> in text and is absent from JSON.
/// </summary>
public static class MachineReport
{
    /// <summary>How text prints an unknown figure.</summary>
    public const string NotAvailable = "n/a";

    private const string PeakMark = "<- peak";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Relaxed escaping: the report is read by people and jq, not embedded in HTML ("+" and "`" stay as they are).
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text report, one line per element.</summary>
    public static IReadOnlyList<string> Text(MachineInfo machine, MachinePeaks peaks, PeakInForce inForce)
    {
        var lines = machine.Rows().Select(r => $"{r.Name,-14}{r.Value}").ToList();
        lines.Add(string.Empty);
        lines.Add(string.Create(Inv, $"peaks: best of {peaks.Measurements} measurement(s), the last {peaks.MeasuredUtc:yyyy-MM-dd HH:mm} UTC in {peaks.MeasureSeconds:F1} s at load average {peaks.LoadAverage ?? "unknown"}; each the best of {MachinePeaks.Repetitions} repetitions (triad: best of 32 slices x 3 passes)"));
        lines.Add($"kernels chosen for: {peaks.Capabilities ?? "unknown instruction sets"}; ONNX Runtime {peaks.OnnxRuntime ?? "unknown"}");
        lines.Add(string.Create(Inv, $"{"",-16}{"one core",10}{"all (" + peaks.Threads + " threads)",18}   kernel"));
        Rows(lines, "FP32 GFLOP/s", peaks.Compute.Where(m => m.Precision == PeakPrecision.Fp32).ToList(), peaks.Fp32);
        Rows(lines, "INT8 GOP/s", peaks.Compute.Where(m => m.Precision == PeakPrecision.Int8).ToList(), peaks.Int8);
        lines.Add(string.Create(Inv, $"{"triad GB/s",-16}{F(peaks.TriadGBpsOneCore, 1),10}{F(peaks.TriadGBps, 1),18}   STREAM a = b + s*c, 3 x {peaks.TriadElements * 4 / (1024 * 1024)} MiB, 12 bytes per element"));
        lines.Add(string.Create(Inv, $"ridge point: {F(Ratio(peaks.Fp32Gflops, peaks.TriadGBps), 1)} FLOP/byte FP32, {F(Ratio(peaks.Int8Gops, peaks.TriadGBps), 1)} op/byte INT8 (below it a kernel is memory-bound)"));
        lines.Add($"in force for % of peak: {inForce.Source}");
        return lines;
    }

    /// <summary>
    /// The JSON report: the machine, the peaks (with the kernel that set each) and every kernel's figures, the ridge
    /// points and the figures in force. Unknown figures are absent, so the document never holds NaN or infinity.
    /// </summary>
    public static string ToJson(MachineInfo machine, MachinePeaks peaks, PeakInForce inForce, string cachePath) => JsonSerializer.Serialize(
        new
        {
            machine,
            peaks,
            ridgeFlopPerByteFp32 = Ratio(peaks.Fp32Gflops, peaks.TriadGBps),
            ridgeOpPerByteInt8 = Ratio(peaks.Int8Gops, peaks.TriadGBps),
            inForce = new { inForce.Fp32Gflops, inForce.Int8Gops, inForce.TriadGBps, inForce.Source },
            cache = cachePath,
        },
        Json);

    /// <summary>A figure with <paramref name="decimals"/> decimals, or <see cref="NotAvailable"/>.</summary>
    public static string F(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals.ToString(Inv), Inv) : NotAvailable;

    /// <summary><paramref name="a"/> / <paramref name="b"/> when both are known and the quotient is finite, else null.</summary>
    public static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 && double.IsFinite(x / y) ? x / y : null;

    private static void Rows(List<string> lines, string label, IReadOnlyList<PeakMeasurement> kernels, PeakMeasurement? peak)
    {
        if (kernels.Count == 0)
        {
            lines.Add($"{label,-16}{NotAvailable,10}{NotAvailable,18}   no kernel for this CPU");
            return;
        }

        for (var i = 0; i < kernels.Count; i++)
        {
            var m = kernels[i];
            var mark = ReferenceEquals(m, peak) ? "  " + PeakMark : string.Empty;
            lines.Add($"{(i == 0 ? label : string.Empty),-16}{F(m.OneCore, 0),10}{F(m.AllCores, 0),18}   {m.Kernel}{mark}");
        }

        if (peak is null)
        {
            lines.Add($"{string.Empty,-16}no {label.Split(' ')[0]} peak: none of its kernels could be measured");
        }
    }
}
