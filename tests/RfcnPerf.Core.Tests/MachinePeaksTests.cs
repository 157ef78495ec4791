using System.Globalization;
using System.Text.Json;
using RfcnPerf.Core.Machine;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class MachinePeaksTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// A short measurement on this CPU (2 rounds, small triad arrays, no GEMM time budget: speed is not the point)
    /// finds a positive figure for every kernel chosen for it, INT8 included (ONNX Runtime's GEMM runs on any x86-64
    /// CPU), and the cache returns what was saved for this machine and nothing for another.
    /// </summary>
    [Fact]
    public void Measured_peaks_are_positive_for_every_kernel_and_cached_per_machine()
    {
        var machine = MachineInfo.Current();
        var cpu = CpuCapabilities.Current();
        var peaks = MachinePeaks.Measure(machine, cpu, new PeakProbe(2, 1 << 20, TimeSpan.Zero), 1 << 20);

        Assert.Equal(PeakKernels.Plan(cpu).Select(k => k.Name), peaks.Compute.Select(m => m.Kernel));
        Assert.All(peaks.Compute, m => Assert.True(m.OneCore > 0 && m.AllCores > 0, m.Kernel));
        Assert.True(peaks.Fp32Gflops > 0 && peaks.Int8Gops > 0);
        Assert.Contains(peaks.Compute, m => m.Id == PeakKernels.Int8OrtId);
        Assert.True(peaks.TriadGBps > 0 && peaks.TriadGBpsOneCore > 0);

        peaks.Save(temp.Path, machine);
        Assert.Equal(peaks.ToJson(), MachinePeaks.TryLoad(machine, cpu, temp.Path)?.ToJson());
        Assert.Null(MachinePeaks.TryLoad(machine with { CpuModel = "another CPU" }, cpu, temp.Path));
    }

    /// <summary>
    /// Figures measured another way are measured again rather than compared with: by the method before the
    /// ONNX Runtime GEMM, by another ONNX Runtime, or by other kernels (the runtime's ISA switches changed).
    /// </summary>
    [Fact]
    public void A_cache_from_another_method_runtime_or_kernel_choice_is_not_used()
    {
        var machine = MachineInfo.Current() with { OnnxRuntime = "1.31.1" };
        var epyc = Level("avx512-vnni");
        var peaks = MachinePeaks.Measure(machine, epyc, new StubProbe((_, t) => 100.0 * t, 10), 1);
        peaks.Save(temp.Path, machine);

        Assert.NotNull(MachinePeaks.TryLoad(machine, epyc, temp.Path));
        Assert.Null(MachinePeaks.TryLoad(machine with { OnnxRuntime = "1.32.0" }, epyc, temp.Path));
        Assert.Null(MachinePeaks.TryLoad(machine, Level("avx-vnni+avx512-vnni"), temp.Path));
        (peaks with { Method = 1 }).Save(temp.Path, machine);
        Assert.Null(MachinePeaks.TryLoad(machine, epyc, temp.Path));
    }

    /// <summary>
    /// The kernels chosen at each x86 level, the MLAS kernel its ONNX Runtime GEMM is named after, and what the
    /// report prints with stub measurements in which ONNX Runtime's INT8 GEMM beats the register kernel (as on a
    /// CPU with AVX-512 VNNI, which .NET 10 cannot issue). Every level gets an INT8 peak with its kernel named.
    /// </summary>
    [Theory]
    [InlineData("below-avx2", null, null, "SSE")]
    [InlineData("avx2", "AVX2 FMA vfmadd231ps ymm (register kernel)", "AVX2 vpmaddubsw+vpmaddwd ymm (register kernel)", "AVX2 vpmaddubsw+vpmaddwd ymm")]
    [InlineData("avx512", "AVX-512 FMA vfmadd231ps zmm (register kernel)", "AVX-512BW vpmaddubsw+vpmaddwd zmm (register kernel)", "AVX-512BW vpmaddubsw+vpmaddwd zmm")]
    [InlineData("avx512-vnni", "AVX-512 FMA vfmadd231ps zmm (register kernel)", "AVX-512BW vpmaddubsw+vpmaddwd zmm (register kernel)", "AVX-512 VNNI vpdpbusd zmm")]
    [InlineData("avx-vnni", "AVX2 FMA vfmadd231ps ymm (register kernel)", "AVX-VNNI vpdpbusd ymm (register kernel)", "AVX-VNNI vpdpbusd ymm")]
    [InlineData("avx-vnni+avx512-vnni", "AVX-512 FMA vfmadd231ps zmm (register kernel)", "AVX-VNNI vpdpbusd ymm (register kernel)", "AVX-512 VNNI vpdpbusd zmm")]
    [InlineData("avx-vnni+avx512", "AVX-512 FMA vfmadd231ps zmm (register kernel)", "AVX-VNNI vpdpbusd ymm (register kernel)", "AVX-512BW vpmaddubsw+vpmaddwd zmm")]
    [InlineData("amx", "AVX-512 FMA vfmadd231ps zmm (register kernel)", "AVX-VNNI vpdpbusd ymm (register kernel)", "AMX-INT8 tiles where the OS grants them, else AVX-512 VNNI vpdpbusd zmm")]
    public void Every_x86_level_gets_an_int8_peak_with_its_kernel_named(string level, string? fp32Register, string? int8Register, string mlasQgemm)
    {
        var cpu = Level(level);
        var plan = PeakKernels.Plan(cpu);
        Assert.Equal(fp32Register, plan.SingleOrDefault(k => k is { Precision: PeakPrecision.Fp32, OnnxRuntime: false })?.Name);
        Assert.Equal(int8Register, plan.SingleOrDefault(k => k is { Precision: PeakPrecision.Int8, OnnxRuntime: false })?.Name);
        var ortInt8 = Assert.Single(plan, k => k is { Precision: PeakPrecision.Int8, OnnxRuntime: true });
        Assert.EndsWith($"(MLAS QGEMM, {mlasQgemm})", ortInt8.Name, StringComparison.Ordinal);
        Assert.Single(plan, k => k is { Precision: PeakPrecision.Fp32, OnnxRuntime: true });

        // Register kernels 100 / 200, ONNX Runtime's GEMMs 150 / 300 (INT8) and 80 / 160 (FP32) per one core / all.
        var peaks = MachinePeaks.Measure(Machine, cpu, new StubProbe((k, t) => (k.OnnxRuntime ? (k.Precision == PeakPrecision.Int8 ? 150 : 80) : 100) * t, 20), 1);
        Assert.Equal(ortInt8.Name, peaks.Int8Kernel);
        Assert.Equal((150.0, 300.0), (peaks.Int8GopsOneCore, peaks.Int8Gops));
        var fp32 = fp32Register is null ? 160.0 : 200.0;
        Assert.Equal(fp32, peaks.Fp32Gflops);

        var inForce = PeakInForce.From(peaks);
        Assert.Equal(300.0, inForce.Int8Gops);
        Assert.Equal(150.0, inForce.For(int8: true, cores: 1, physicalCores: 2));
        Assert.Contains(ortInt8.Name, inForce.Source, StringComparison.Ordinal);

        var text = MachineReport.Text(Machine, peaks, inForce);
        var int8Peak = Assert.Single(text, l => l.Contains(ortInt8.Name, StringComparison.Ordinal) && !l.StartsWith("in force", StringComparison.Ordinal));
        Assert.EndsWith("<- peak", int8Peak, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"ridge point: {fp32 / 20:F1} FLOP/byte FP32, 15.0 op/byte INT8 (below it a kernel is memory-bound)"), text);
        AssertPrintable(text, MachineReport.ToJson(Machine, peaks, inForce, "cache.json"));
        using var json = JsonDocument.Parse(MachineReport.ToJson(Machine, peaks, inForce, "cache.json"));
        Assert.Equal(ortInt8.Name, json.RootElement.GetProperty("peaks").GetProperty("Int8Kernel").GetString());
        Assert.Equal(300.0, json.RootElement.GetProperty("inForce").GetProperty("Int8Gops").GetDouble());
    }

    /// <summary>
    /// A machine whose peaks are all unknown (every kernel failed, NaN and infinity included): text prints n/a for
    /// every figure and ratio, JSON leaves them out and parses, and no percentage of a peak can be formed.
    /// </summary>
    [Fact]
    public void A_machine_whose_peaks_are_unknown_prints_na_and_writes_no_figure()
    {
        var values = new Queue<double?>([double.NaN, double.PositiveInfinity, null, 0, -1, double.NegativeInfinity, null, null]);
        var peaks = MachinePeaks.Measure(Machine, Level("avx512-vnni"), new StubProbe((_, _) => values.Count > 0 ? values.Dequeue() : null, null), 1);
        Assert.All(peaks.Compute, m => Assert.True(m.OneCore is null && m.AllCores is null, m.Kernel));
        Assert.Null(peaks.Fp32Gflops);
        Assert.Null(peaks.Int8Gops);
        Assert.Null(peaks.TriadGBps);

        var inForce = PeakInForce.From(peaks);
        Assert.Equal((null, null, null), (inForce.Fp32Gflops, inForce.Int8Gops, inForce.TriadGBps));
        Assert.Null(inForce.For(int8: true, cores: 2, physicalCores: 2));
        Assert.Null(inForce.PercentOf(123.0, int8: true, cores: 2, physicalCores: 2));
        Assert.Contains("INT8: not measured", inForce.Source, StringComparison.Ordinal);

        var text = MachineReport.Text(Machine, peaks, inForce);
        Assert.Contains(text, l => l.StartsWith("INT8 GOP/s", StringComparison.Ordinal) && l.Contains("n/a", StringComparison.Ordinal));
        Assert.Contains(text, l => l.Contains("no INT8 peak: none of its kernels could be measured", StringComparison.Ordinal));
        Assert.Contains("ridge point: n/a FLOP/byte FP32, n/a op/byte INT8 (below it a kernel is memory-bound)", text);
        Assert.Contains(text, l => l.StartsWith("triad GB/s", StringComparison.Ordinal) && l.Contains("n/a", StringComparison.Ordinal));

        var json = MachineReport.ToJson(Machine, peaks, inForce, "cache.json");
        AssertPrintable(text, json);
        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("peaks").TryGetProperty("Int8Gops", out _));
        Assert.False(doc.RootElement.GetProperty("peaks").TryGetProperty("Int8Kernel", out _));
        Assert.False(doc.RootElement.GetProperty("inForce").TryGetProperty("Int8Gops", out _));
        Assert.False(doc.RootElement.TryGetProperty("ridgeOpPerByteInt8", out _));
    }

    [Fact]
    public void The_environment_overrides_a_compute_peak_and_says_so()
    {
        var machine = MachineInfo.Current();
        var cpu = CpuCapabilities.Current();
        var peaks = MachinePeaks.Measure(machine, cpu, new StubProbe((k, t) => (k.Precision == PeakPrecision.Int8 ? 200.0 : 50.0) * t, 10), 1);
        peaks.Save(temp.Path, machine);

        var measured = PeakInForce.From(MachinePeaks.TryLoad(machine, cpu, temp.Path)!);
        Environment.SetEnvironmentVariable(MachinePeaks.Fp32OverrideVariable, "440");
        try
        {
            var overridden = PeakInForce.From(peaks);
            Assert.Equal((100.0, 400.0), (measured.Fp32Gflops, measured.Int8Gops));
            Assert.Equal((440.0, 400.0), (overridden.Fp32Gflops, overridden.Int8Gops));
            Assert.Contains(MachinePeaks.Fp32OverrideVariable, overridden.Source, StringComparison.Ordinal);
            Assert.DoesNotContain("RFCNPERF", measured.Source, StringComparison.Ordinal);
            Assert.Equal(220.0, overridden.For(false, 1, 2));
        }
        finally
        {
            Environment.SetEnvironmentVariable(MachinePeaks.Fp32OverrideVariable, null);
        }
    }

    /// <summary>Best-of merging keeps each kernel's best figure and leaves a kernel measured only once as it was.</summary>
    [Fact]
    public void Best_of_two_measurements_is_taken_kernel_by_kernel()
    {
        var cpu = Level("avx512-vnni");
        var first = MachinePeaks.Measure(Machine, cpu, new StubProbe((k, t) => k.OnnxRuntime ? 300.0 * t : 100.0 * t, 10), 1);
        var second = MachinePeaks.Measure(Machine, cpu, new StubProbe((k, t) => k.OnnxRuntime ? 200.0 * t : 150.0 * t, 5), 1);

        var best = second.BestOf(first);
        Assert.Equal(2, best.Measurements);
        Assert.Equal(600.0, best.Int8Gops);
        Assert.Equal(300.0, best.Compute.Single(m => m.Id == PeakKernels.Int8Avx512BwId).AllCores);
        Assert.Equal(10.0, best.TriadGBps);
    }

    /// <summary>Each register kernel this CPU runs counts its operations as lanes x accumulators x 2 per loop trip.</summary>
    [SkippableFact]
    public void Register_kernels_count_two_operations_per_multiply_add()
    {
        var registers = PeakKernels.Plan(CpuCapabilities.Current()).Where(k => !k.OnnxRuntime).ToList();
        Skip.If(registers.Count == 0, "this CPU has no AVX2: only ONNX Runtime's GEMMs measure it");
        foreach (var kernel in registers)
        {
            var lanes = kernel.Id switch
            {
                PeakKernels.Fp32Avx512Id => 16,
                PeakKernels.Fp32Avx2Id => 8,
                PeakKernels.Int8Avx512BwId => 64,
                _ => 32,
            };
            Assert.Equal(10.0 * PeakKernels.Accumulators * lanes * 2, PeakKernels.Run(kernel.Id, 10).Ops);
        }
    }

    private static MachineInfo Machine { get; } = new()
    {
        CpuModel = "test CPU",
        LogicalProcessors = 2,
        PhysicalCores = 2,
        IsaFlags = [],
        Os = "test OS",
        DotNet = ".NET test",
        OnnxRuntime = "1.31.1",
    };

    /// <summary>The capability record of a named x86 level.</summary>
    private static CpuCapabilities Level(string level) => level switch
    {
        "below-avx2" => new CpuCapabilities(),
        "avx2" => new CpuCapabilities { Avx2 = true },
        "avx512" => new CpuCapabilities { Avx2 = true, Avx512 = true },
        "avx512-vnni" => new CpuCapabilities { Avx2 = true, Avx512 = true, Avx512Vnni = true },
        "avx-vnni" => new CpuCapabilities { Avx2 = true, AvxVnni = true },
        "avx-vnni+avx512-vnni" => new CpuCapabilities { Avx2 = true, Avx512 = true, Avx512Vnni = true, AvxVnni = true },
        "avx-vnni+avx512" => new CpuCapabilities { Avx2 = true, Avx512 = true, AvxVnni = true },
        "amx" => new CpuCapabilities { Avx2 = true, Avx512 = true, Avx512Vnni = true, AvxVnni = true, AmxInt8 = true },
        _ => throw new ArgumentException(level, nameof(level)),
    };

    private static void AssertPrintable(IReadOnlyList<string> text, string json)
    {
        foreach (var bad in new[] { "NaN", "Infinity", "∞" })
        {
            Assert.DoesNotContain(text, l => l.Contains(bad, StringComparison.Ordinal));
            Assert.DoesNotContain(bad, json, StringComparison.Ordinal);
        }
    }

    /// <summary>Stub measurements: GOP/s per kernel and thread count, and one triad figure for any thread count.</summary>
    private sealed class StubProbe(Func<PeakKernel, int, double?> compute, double? triad) : IPeakProbe
    {
        public double? Compute(PeakKernel kernel, int threads) => compute(kernel, threads);

        public double? TriadGBps(int threads) => triad;
    }
}
