using RfcnPerf.Core.Machine;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class MachinePeaksTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// A short measurement (small triad arrays: speed is not the point here) finds positive figures for exactly
    /// what the CPU has, and the cache returns what was saved for this machine and nothing for another.
    /// </summary>
    [Fact]
    public void Measured_peaks_are_positive_and_cached_per_machine()
    {
        var machine = MachineInfo.Current();
        var peaks = MachinePeaks.Measure(machine, repetitions: 2, triadElements: 1 << 20);

        Assert.Equal(PeakKernels.Fp32Kernel is not null, peaks.Fp32Gflops is > 0);
        Assert.Equal(PeakKernels.Int8Kernel is not null, peaks.Int8Gops is > 0);
        Assert.Equal(peaks.Fp32Gflops is not null, peaks.Fp32GflopsOneCore is > 0);
        Assert.True(peaks.TriadGBps > 0 && peaks.TriadGBpsOneCore > 0);

        peaks.Save(temp.Path, machine);
        Assert.Equal(peaks, MachinePeaks.TryLoad(machine, temp.Path));
        Assert.Null(MachinePeaks.TryLoad(machine with { CpuModel = "another CPU" }, temp.Path));
    }

    [Fact]
    public void The_environment_overrides_a_compute_peak_and_says_so()
    {
        var machine = MachineInfo.Current();
        new MachinePeaks
        {
            CpuModel = machine.CpuModel,
            Threads = machine.LogicalProcessors,
            PhysicalCores = machine.PhysicalCores,
            Fp32Gflops = 100,
            Int8Gops = 400,
            TriadGBps = 10,
            TriadGBpsOneCore = 5,
            TriadElements = 1,
            MeasuredUtc = DateTime.UtcNow,
        }.Save(temp.Path, machine);

        var measured = PeakInForce.Resolve(machine, temp.Path);
        Environment.SetEnvironmentVariable(MachinePeaks.Fp32OverrideVariable, "440");
        try
        {
            var overridden = PeakInForce.Resolve(machine, temp.Path);
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
}
