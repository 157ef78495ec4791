using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf machine [--json] [--remeasure]</c>: the machine description and its measured ceilings (FP32, INT8,
/// memory bandwidth) with the kernel behind each, measured once and cached; the figures the benchmark summary and
/// the profiles compare achieved rates with.
/// </summary>
internal static class MachineCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the description and peaks as JSON (a figure that could not be measured is absent)" };
        var remeasure = new Option<bool>("--remeasure") { Description = "Measure again (10-20 s); each cached figure becomes the best of all measurements (contention only lowers a peak)" };
        var replace = new Option<bool>("--replace") { Description = "With --remeasure: replace the cached figures instead of keeping the best" };
        var command = new Command("machine", "CPU, cores, ISA flags and the peaks measured on this machine (FP32 and INT8 by register kernels and by ONNX Runtime's GEMM, STREAM triad); cached once per machine")
        {
            json, remeasure, replace,
        };
        command.SetAction(parse =>
        {
            var machine = MachineInfo.Current();
            MachinePeaks peaks;
            var cached = MachinePeaks.TryLoad(machine);
            if (parse.GetValue(remeasure) || cached is null)
            {
                Console.Error.WriteLine("measuring (FP32 and INT8 register kernels and ONNX Runtime GEMMs, STREAM triad; 10-20 s)...");
                var fresh = MachinePeaks.Measure(machine);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"this measurement: FP32 {MachineReport.F(fresh.Fp32GflopsOneCore, 0)} / {MachineReport.F(fresh.Fp32Gflops, 0)} GFLOP/s, INT8 {MachineReport.F(fresh.Int8GopsOneCore, 0)} / {MachineReport.F(fresh.Int8Gops, 0)} GOP/s, triad {MachineReport.F(fresh.TriadGBpsOneCore, 1)} / {MachineReport.F(fresh.TriadGBps, 1)} GB/s (one core / all), load {fresh.LoadAverage ?? "unknown"}"));
                peaks = parse.GetValue(replace) ? fresh : fresh.BestOf(cached);
                Console.Error.WriteLine($"cached in {peaks.Save(null, machine)}");
            }
            else
            {
                peaks = cached;
            }

            var inForce = PeakInForce.From(peaks);
            if (parse.GetValue(json))
            {
                Console.WriteLine(MachineReport.ToJson(machine, peaks, inForce, MachinePeaks.CachePath(machine)));
                return 0;
            }

            foreach (var line in MachineReport.Text(machine, peaks, inForce))
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }
}
