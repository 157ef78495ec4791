using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Core.Assets;
using RfcnPerf.Shared;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The machine's measured ceilings (<c>rfcnperf machine</c>): FP32 FMA GFLOP/s and INT8 dot-product GOP/s on one
/// core and on all cores, and STREAM-triad memory bandwidth, from <see cref="PeakKernels"/>. Measured once per
/// machine and cached in the cache folder under a key of CPU model and core count. A peak is the best of many
/// short repetitions: on a shared machine a short window usually finds the cores free, a long one does not.
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

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>CPU model the figures belong to.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Threads used for the all-core figures (logical processors visible to the process).</summary>
    public required int Threads { get; init; }

    /// <summary>Physical cores of the machine.</summary>
    public required int PhysicalCores { get; init; }

    /// <summary>FP32 kernel, e.g. <c>AVX-512 FMA (vfmadd231ps zmm)</c>; null when the CPU has no FMA.</summary>
    public string? Fp32Kernel { get; init; }

    /// <summary>FP32 GFLOP/s of one core.</summary>
    public double? Fp32GflopsOneCore { get; init; }

    /// <summary>FP32 GFLOP/s of all cores together.</summary>
    public double? Fp32Gflops { get; init; }

    /// <summary>INT8 kernel, e.g. <c>AVX-512 VNNI (vpdpbusd zmm)</c>; null when the CPU has no VNNI.</summary>
    public string? Int8Kernel { get; init; }

    /// <summary>INT8 GOP/s (2 ops per u8 x s8 multiply-accumulate) of one core.</summary>
    public double? Int8GopsOneCore { get; init; }

    /// <summary>INT8 GOP/s of all cores together.</summary>
    public double? Int8Gops { get; init; }

    /// <summary>STREAM triad GB/s (10^9 bytes) of one thread.</summary>
    public required double TriadGBpsOneCore { get; init; }

    /// <summary>STREAM triad GB/s of all threads.</summary>
    public required double TriadGBps { get; init; }

    /// <summary>Triad array length in floats (each of the three arrays).</summary>
    public required long TriadElements { get; init; }

    /// <summary>When the figures were measured (UTC).</summary>
    public required DateTime MeasuredUtc { get; init; }

    /// <summary>1/5/15-minute load average when measuring (a loaded machine lowers the all-core figures).</summary>
    public string? LoadAverage { get; init; }

    /// <summary>Seconds the measurement took.</summary>
    public double MeasureSeconds { get; init; }

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

    /// <summary>The cached figures of this machine, or null when they were never measured (or the file is unreadable).</summary>
    public static MachinePeaks? TryLoad(MachineInfo machine, string? cacheDir = null)
    {
        var path = CachePath(machine, cacheDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var peaks = JsonSerializer.Deserialize<MachinePeaks>(File.ReadAllText(path), Json);
            return peaks is not null && peaks.CpuModel == machine.CpuModel && peaks.Threads == machine.LogicalProcessors ? peaks : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Cached figures, or a fresh measurement (a few seconds) that is then cached.</summary>
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

    /// <summary>
    /// The better of two measurements of the same machine, figure by figure: contention only ever lowers a peak,
    /// so the best figure seen is the closest to the machine's capability. Load and time are this measurement's.
    /// </summary>
    public MachinePeaks BestOf(MachinePeaks? earlier) => earlier is null || earlier.CpuModel != CpuModel || earlier.Threads != Threads ? this : this with
    {
        Fp32GflopsOneCore = Max(Fp32GflopsOneCore, earlier.Fp32GflopsOneCore),
        Fp32Gflops = Max(Fp32Gflops, earlier.Fp32Gflops),
        Int8GopsOneCore = Int8Kernel == earlier.Int8Kernel ? Max(Int8GopsOneCore, earlier.Int8GopsOneCore) : Int8GopsOneCore,
        Int8Gops = Int8Kernel == earlier.Int8Kernel ? Max(Int8Gops, earlier.Int8Gops) : Int8Gops,
        TriadGBpsOneCore = Math.Max(TriadGBpsOneCore, earlier.TriadGBpsOneCore),
        TriadGBps = Math.Max(TriadGBps, earlier.TriadGBps),
        Measurements = Measurements + earlier.Measurements,
    };

    /// <summary>Measurements the figures are the best of.</summary>
    public int Measurements { get; init; } = 1;

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    /// <summary>Writes the figures to the machine's cache file; returns its path.</summary>
    public string Save(string? cacheDir, MachineInfo machine)
    {
        var path = CachePath(machine, cacheDir);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    /// <summary>Measures the peaks now (about 5-10 s; longer on a loaded machine).</summary>
    public static MachinePeaks Measure(MachineInfo machine, int repetitions = Repetitions, int triadElements = TriadArrayElements)
    {
        var clock = Stopwatch.StartNew();
        var load = LoadSnapshot.Read();
        var threads = Math.Max(1, machine.LogicalProcessors);
        double? fp1 = null, fpAll = null, i81 = null, i8All = null;
        if (PeakKernels.Fp32Kernel is not null)
        {
            var iterations = Calibrate(n => PeakKernels.Fp32(n).Flops);
            fp1 = Best(repetitions, 1, () => PeakKernels.Fp32(iterations).Flops) / 1e9;
            fpAll = Best(repetitions, threads, () => PeakKernels.Fp32(iterations).Flops) / 1e9;
        }

        if (PeakKernels.Int8Kernel is not null)
        {
            var iterations = Calibrate(n => PeakKernels.Int8(n).Ops);
            i81 = Best(repetitions, 1, () => PeakKernels.Int8(iterations).Ops) / 1e9;
            i8All = Best(repetitions, threads, () => PeakKernels.Int8(iterations).Ops) / 1e9;
        }

        var elements = triadElements;
        var a = GC.AllocateUninitializedArray<float>(elements);
        var b = new float[elements];
        var c = new float[elements];
        b.AsSpan().Fill(1);
        c.AsSpan().Fill(2);
        a.AsSpan().Fill(0);
        var triad1 = BestTriad(a, b, c, 1, 3);
        var triadAll = BestTriad(a, b, c, threads, 3);
        return new MachinePeaks
        {
            CpuModel = machine.CpuModel,
            Threads = threads,
            PhysicalCores = machine.PhysicalCores,
            Fp32Kernel = PeakKernels.Fp32Kernel,
            Fp32GflopsOneCore = fp1,
            Fp32Gflops = fpAll,
            Int8Kernel = PeakKernels.Int8Kernel,
            Int8GopsOneCore = i81,
            Int8Gops = i8All,
            TriadGBpsOneCore = triad1,
            TriadGBps = triadAll,
            TriadElements = elements,
            MeasuredUtc = DateTime.UtcNow,
            LoadAverage = load?.ToString(),
            MeasureSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Loop trips that take about 8 ms on one core: short enough that one of many repetitions finds the core
    /// free on a shared machine (a scheduler slice is 3-24 ms), long enough that timer and thread release costs
    /// (tens of microseconds) stay near 1%.
    /// </summary>
    private static long Calibrate(Func<long, double> kernel)
    {
        kernel(10_000); // JIT and warm the vector units up
        var n = 100_000L;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            kernel(n);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (ms >= 5)
            {
                return Math.Max(1, (long)(n * 8 / ms));
            }

            n *= 4;
        }
    }

    /// <summary>Best rate (ops/s) over <paramref name="repetitions"/> of <paramref name="threads"/> threads each running <paramref name="run"/> once.</summary>
    private static double Best(int repetitions, int threads, Func<double> run)
    {
        var best = 0.0;
        for (var r = 0; r < repetitions; r++)
        {
            best = Math.Max(best, Timed(threads, _ => run()));
        }

        return best;
    }

    /// <summary>
    /// Best triad rate over <paramref name="passes"/> passes of the arrays, each pass timed slice by slice (a few
    /// milliseconds each, so that a slice usually runs undisturbed on a shared machine). A slice's data were last
    /// touched a whole pass earlier, hundreds of MiB ago, so they come from memory, not from cache.
    /// </summary>
    private static double BestTriad(float[] a, float[] b, float[] c, int threads, int passes)
    {
        const int slices = 32;
        var slice = a.Length / slices;
        var chunk = (slice + threads - 1) / threads;
        var best = 0.0;
        for (var r = 0; r < passes; r++)
        {
            for (var s = 0; s < slices; s++)
            {
                var origin = s * slice;
                best = Math.Max(best, Timed(threads, t =>
                {
                    var start = origin + (t * chunk);
                    var length = Math.Min(chunk, origin + slice - start);
                    return PeakKernels.Triad(a.AsSpan(start, length), b.AsSpan(start, length), c.AsSpan(start, length), 3f);
                }));
            }
        }

        return best / 1e9;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads released together; returns total units / wall seconds.</summary>
    private static double Timed(int threads, Func<int, double> work)
    {
        if (threads == 1)
        {
            var start = Stopwatch.GetTimestamp();
            var units = work(0);
            return units / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        using var go = new ManualResetEventSlim(false);
        using var ready = new CountdownEvent(threads);
        var done = new double[threads];
        var ends = new long[threads];
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                ready.Signal();
                go.Wait();
                done[index] = work(index);
                ends[index] = Stopwatch.GetTimestamp();
            })
            { IsBackground = true };
            workers[t].Start();
        }

        ready.Wait();
        var begin = Stopwatch.GetTimestamp();
        go.Set();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return done.Sum() / Stopwatch.GetElapsedTime(begin, ends.Max()).TotalSeconds;
    }
}
