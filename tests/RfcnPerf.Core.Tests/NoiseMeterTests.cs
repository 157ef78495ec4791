using System.Diagnostics;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Core.Tests;

public sealed class NoiseMeterTests
{
    [Fact]
    public void Shares_subtract_our_own_cpu_time_from_the_busy_ticks()
    {
        // 2 CPUs for 1 s = 200 ticks: 150 busy, 12 of them stolen... steal is its own column, busy excludes it.
        var a = NoiseMeter.CpuTicks.Parse("cpu  1000 0 500 8000 0 0 0 100 0 0")!.Value;
        var b = NoiseMeter.CpuTicks.Parse("cpu  1120 0 530 8038 0 0 0 112 0 0")!.Value;
        Assert.Equal(200, b.Total - a.Total);

        // We used 1.0 s of CPU (100 ticks) of the 150 busy: others used 50 of 200, a quarter of the machine.
        var (steal, others) = NoiseMeter.Shares(a, b, ourCpuSeconds: 1.0);
        Assert.Equal(0.06, steal, 12);
        Assert.Equal(0.25, others, 12);

        // Rounding (our getrusage time above the ticks) never gives a negative share.
        Assert.Equal(0, NoiseMeter.Shares(a, b, ourCpuSeconds: 2.0).Others);
        Assert.True(double.IsNaN(NoiseMeter.Shares(a, a, 0).Steal));
    }

    [Theory]
    [InlineData("cpu  1 2 3")]
    [InlineData("cpu  1 2 3 4 5 6 7 x 0 0")]
    public void Short_or_malformed_proc_stat_lines_are_not_read(string line) => Assert.Null(NoiseMeter.CpuTicks.Parse(line));

    [Fact]
    public void The_live_meter_reports_shares_of_the_machine()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc/stat and getrusage");
        var meter = NoiseMeter.Start();
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 300)
        {
            Thread.SpinWait(50);
        }

        var report = meter.Stop();
        Assert.InRange(report.StealShare, 0, 1);
        Assert.InRange(report.OthersShare, 0, 1);
        Assert.True(report.InvoluntarySwitches >= 0);
        Assert.Equal(Environment.ProcessorCount, report.Cpus);
        Assert.Contains("involuntary context switches", report.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.01, 0.05, null)]
    [InlineData(0.06, 0.05, "steal 6.0% of the CPUs")]
    [InlineData(0.0, 0.35, "other processes used 35.0% of the CPUs")]
    public void Measurements_past_a_flag_say_so_with_the_figure(double steal, double others, string? expected)
    {
        var report = new NoiseReport(10, steal, others, 2, null, null, 3);
        Assert.Equal(expected is not null, report.Flagged);
        if (expected is null)
        {
            Assert.Null(report.FlagText());
        }
        else
        {
            Assert.Contains(expected, report.FlagText(), StringComparison.Ordinal);
        }
    }
}
