using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RfcnPerf.Core.Assets;
using RfcnPerf.Shared;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The machine's measured ceilings (<c>rfcnperf machine</c>): FP32 GFLOP/s and INT8 GOP/s on one core and on all
/// cores, each measured by every kernel <see cref="PeakKernels.Plan"/> chooses for the CPU (register kernels and ONNX
/// Runtime's GEMM), and STREAM-triad memory bandwidth. The peak of a precision is its kernel with the highest
/// all-core figure, named wherever the figure is printed. Measured once per machine and cached in the cache folder
/// under a key of CPU model and core count; a cache from another method, ONNX Runtime version or kernel choice is
/// measured again.
/// </summary>
public sealed record MachinePeaks
{
    /// <summary>Environment variable that overrides the all-core FP32 peak (GFLOP/s).</summary>
    public const string Fp32OverrideVariable = "RFCNPERF_PEAK_FP32_GFLOPS";

    /// <summary>Environment variable that overrides the all-core INT8 peak (GOP/s).</summary>
    public const string Int8OverrideVariable = "RFCNPERF_PEAK_INT8_GOPS";

    /// <summary>
    /// Triad array length: three arrays of 256 MiB, beyond the last-level cache even of large server sockets (a cloud
    /// VM may report the 300 MiB L3 its whole host shares).
    /// </summary>
    public const int TriadArrayElements = 64 * 1024 * 1024;

    /// <summary>Repetitions per compute figure; the best one counts.</summary>
    public const int Repetitions = 80;

    /// <summary>
    /// Version of the measuring method; a cache written by another version is measured again (version 1 had one
    /// INT8 kernel, AVX-VNNI only, and no ONNX Runtime GEMM).
    /// </summary>
    public const int CurrentMethod = 2;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The measuring method's version (<see cref="CurrentMethod"/> for a fresh measurement).</summary>
    public int Method { get; init; }

    /// <summary>CPU model the figures belong to.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Threads used for the all-core figures (logical processors visible to the process).</summary>
    public required int Threads { get; init; }

    /// <summary>Physical cores of the machine.</summary>
    public required int PhysicalCores { get; init; }

    /// <summary>ONNX Runtime version whose GEMM was measured.</summary>
    public string? OnnxRuntime { get; init; }

    /// <summary>The instruction-set levels the kernels were chosen for, e.g. <c>AVX2, AVX-512, AVX-512 VNNI</c>.</summary>
    public string? Capabilities { get; init; }

    /// <summary>Every compute kernel's figures, FP32 and INT8, in the order measured.</summary>
    public IReadOnlyList<PeakMeasurement> Compute { get; init; } = [];

    /// <summary>The FP32 peak: the FP32 kernel with the highest all-core figure; null when none was measured.</summary>
    [JsonIgnore]
    public PeakMeasurement? Fp32 => Best(PeakPrecision.Fp32);

    /// <summary>The INT8 peak: the INT8 kernel with the highest all-core figure; null when none was measured.</summary>
    [JsonIgnore]
    public PeakMeasurement? Int8 => Best(PeakPrecision.Int8);

    // The peak's figures, also written to JSON (read-only: ignored when read back, recomputed from Compute).

    /// <summary>The kernel of the FP32 peak.</summary>
    public string? Fp32Kernel => Fp32?.Kernel;

    /// <summary>FP32 GFLOP/s of one core (by the peak's kernel).</summary>
    public double? Fp32GflopsOneCore => Fp32?.OneCore;

    /// <summary>FP32 GFLOP/s of all cores together.</summary>
    public double? Fp32Gflops => Fp32?.AllCores;

    /// <summary>The kernel of the INT8 peak.</summary>
    public string? Int8Kernel => Int8?.Kernel;

    /// <summary>INT8 GOP/s (2 ops per u8 x s8 multiply-accumulate) of one core (by the peak's kernel).</summary>
    public double? Int8GopsOneCore => Int8?.OneCore;

    /// <summary>INT8 GOP/s of all cores together.</summary>
    public double? Int8Gops => Int8?.AllCores;

    /// <summary>STREAM triad GB/s (10^9 bytes) of one thread; null when not measured.</summary>
    public double? TriadGBpsOneCore { get; init; }

    /// <summary>STREAM triad GB/s of all threads; null when not measured.</summary>
    public double? TriadGBps { get; init; }

    /// <summary>Triad array length in floats (each of the three arrays).</summary>
    public required long TriadElements { get; init; }

    /// <summary>When the figures were measured (UTC).</summary>
    public required DateTime MeasuredUtc { get; init; }

    /// <summary>1/5/15-minute load average when measuring (a loaded machine lowers the all-core figures).</summary>
    public string? LoadAverage { get; init; }

    /// <summary>Seconds the measurement took.</summary>
    public double MeasureSeconds { get; init; }

    /// <summary>Measurements the figures are the best of.</summary>
    public int Measurements { get; init; } = 1;

    /// <summary>The cache file of the machine described by <paramref name="machine"/>.</summary>
    public static string CachePath(MachineInfo machine, string? cacheDir = null)
    {
        var slug = new string(machine.CpuModel.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return Path.Combine(cacheDir ?? AssetStore.DefaultCacheDir(), "machine", string.Create(CultureInfo.InvariantCulture, $"peaks-{slug.Trim('-')}-{machine.LogicalProcessors}t-{machine.PhysicalCores}c.json"));
    }

    /// <summary>
    /// The cached figures of this machine, or null when they were never measured, the file is unreadable, or they
    /// were measured by another method, ONNX Runtime version or set of kernels than this process would use.
    /// </summary>
    public static MachinePeaks? TryLoad(MachineInfo machine, string? cacheDir = null) => TryLoad(machine, CpuCapabilities.Current(), cacheDir);

    /// <summary>Cached figures, or a fresh measurement (10-20 s) that is then cached.</summary>
    public static MachinePeaks LoadOrMeasure(MachineInfo machine, string? cacheDir = null, Action<string>? log = null)
    {
        if (TryLoad(machine, cacheDir) is { } cached)
        {
            return cached;
        }

        log?.Invoke($"measuring this machine's peaks once (cached in {CachePath(machine, cacheDir)})...");
        var peaks = Measure(machine);
        peaks.Save(cacheDir, machine);
        return peaks;
    }

    /// <summary>Measures the peaks now on this CPU (10-20 s; longer on a loaded machine).</summary>
    public static MachinePeaks Measure(MachineInfo machine, int repetitions = Repetitions, int triadElements = TriadArrayElements) =>
        Measure(machine, CpuCapabilities.Current(), new PeakProbe(repetitions, triadElements, OrtGemmPeak.Budget), triadElements);

    /// <summary>
    /// Measures every kernel <see cref="PeakKernels.Plan"/> chooses for <paramref name="cpu"/> with
    /// <paramref name="probe"/>, on one thread and on all threads, then the triad.
    /// </summary>
    internal static MachinePeaks Measure(MachineInfo machine, CpuCapabilities cpu, IPeakProbe probe, long triadElements)
    {
        var clock = Stopwatch.StartNew();
        var load = LoadSnapshot.Read();
        var threads = Math.Max(1, machine.LogicalProcessors);
        var compute = PeakKernels.Plan(cpu)
            .Select(k => new PeakMeasurement(k.Id, k.Precision, k.Name, Finite(probe.Compute(k, 1)), Finite(probe.Compute(k, threads))))
            .ToList();
        return new MachinePeaks
        {
            Method = CurrentMethod,
            CpuModel = machine.CpuModel,
            Threads = threads,
            PhysicalCores = machine.PhysicalCores,
            OnnxRuntime = machine.OnnxRuntime,
            Capabilities = cpu.Describe(),
            Compute = compute,
            TriadGBpsOneCore = Finite(probe.TriadGBps(1)),
            TriadGBps = Finite(probe.TriadGBps(threads)),
            TriadElements = triadElements,
            MeasuredUtc = DateTime.UtcNow,
            LoadAverage = load?.ToString(),
            MeasureSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The cached figures when they were measured the way <paramref name="cpu"/> would measure them now.</summary>
    internal static MachinePeaks? TryLoad(MachineInfo machine, CpuCapabilities cpu, string? cacheDir)
    {
        var path = CachePath(machine, cacheDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var peaks = JsonSerializer.Deserialize<MachinePeaks>(File.ReadAllText(path), Json);
            return peaks is not null && peaks.Method == CurrentMethod && peaks.CpuModel == machine.CpuModel && peaks.Threads == machine.LogicalProcessors
                && peaks.OnnxRuntime == machine.OnnxRuntime
                && peaks.Compute.Select(m => m.Kernel).SequenceEqual(PeakKernels.Plan(cpu).Select(k => k.Name))
                ? peaks
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The better of two measurements of the same machine, kernel by kernel: contention only ever lowers a figure,
    /// so the best seen is the closest to the machine's capability. Load and time are this measurement's.
    /// </summary>
    public MachinePeaks BestOf(MachinePeaks? earlier) => earlier is null || earlier.CpuModel != CpuModel || earlier.Threads != Threads || earlier.Method != Method || earlier.OnnxRuntime != OnnxRuntime ? this : this with
    {
        Compute = Compute
            .Select(m => earlier.Compute.FirstOrDefault(e => e.Id == m.Id && e.Kernel == m.Kernel) is { } e
                ? m with { OneCore = Max(m.OneCore, e.OneCore), AllCores = Max(m.AllCores, e.AllCores) }
                : m)
            .ToList(),
        TriadGBpsOneCore = Max(TriadGBpsOneCore, earlier.TriadGBpsOneCore),
        TriadGBps = Max(TriadGBps, earlier.TriadGBps),
        Measurements = Measurements + earlier.Measurements,
    };

    /// <summary>Writes the figures to the machine's cache file; returns its path.</summary>
    public string Save(string? cacheDir, MachineInfo machine)
    {
        var path = CachePath(machine, cacheDir);
        AtomicFile.WriteAllText(path, ToJson());
        return path;
    }

    /// <summary>The cache file's JSON: every kernel's figures; a figure that was not measured is absent.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private PeakMeasurement? Best(PeakPrecision precision) =>
        Compute.Where(m => m.Precision == precision && m.AllCores is > 0).MaxBy(m => m.AllCores);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    // A figure is a positive finite number or absent: a kernel that ran for no measurable time or failed leaves no figure.
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) && v > 0 ? v : null;
}
