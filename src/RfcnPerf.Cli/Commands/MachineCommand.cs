using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf machine [--json] [--remeasure]</c>: the machine description and its measured ceilings (FP32 FMA,
/// INT8 dot product, memory bandwidth), measured once and cached; the figures the benchmark summary and the
/// profiles compare achieved rates with.
/// </summary>
internal static class MachineCommand
{
    // docs/BENCHMARKING.md's figures for the 2-core development machine, printed for comparison only.
    private const double DocsFp32Gflops = 440;
    private const double DocsInt8Gops = 1660;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the description and peaks as JSON" };
        var remeasure = new Option<bool>("--remeasure") { Description = "Measure again (about 10 s); each cached figure becomes the best of all measurements (contention only lowers a peak)" };
        var replace = new Option<bool>("--replace") { Description = "With --remeasure: replace the cached figures instead of keeping the best" };
        var command = new Command("machine", "CPU, cores, ISA flags and the peaks measured on this machine (FP32 FMA, INT8 VNNI, STREAM triad); cached once per machine")
        {
            json, remeasure, replace,
        };
        command.SetAction(parse =>
        {
            var machine = MachineInfo.Current();
            var inv0 = CultureInfo.InvariantCulture;
            MachinePeaks peaks;
            var cached = MachinePeaks.TryLoad(machine);
            if (parse.GetValue(remeasure) || cached is null)
            {
                Console.Error.WriteLine("measuring (FP32 FMA, INT8 dot product, STREAM triad; about 10 s)...");
                var fresh = MachinePeaks.Measure(machine);
                Console.Error.WriteLine(string.Create(inv0, $"this measurement: FP32 {fresh.Fp32GflopsOneCore:F0} / {fresh.Fp32Gflops:F0} GFLOP/s, INT8 {fresh.Int8GopsOneCore:F0} / {fresh.Int8Gops:F0} GOP/s, triad {fresh.TriadGBpsOneCore:F1} / {fresh.TriadGBps:F1} GB/s (one core / all), load {fresh.LoadAverage}"));
                peaks = parse.GetValue(replace) ? fresh : fresh.BestOf(cached);
                Console.Error.WriteLine($"cached in {peaks.Save(null, machine)}");
            }
            else
            {
                peaks = cached;
            }

            var inForce = PeakInForce.Resolve(machine);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { machine, peaks, inForce = new { inForce.Fp32Gflops, inForce.Int8Gops, inForce.TriadGBps, inForce.Source }, cache = MachinePeaks.CachePath(machine) }, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            var inv = CultureInfo.InvariantCulture;
            foreach (var (name, value) in machine.Rows())
            {
                Console.WriteLine($"{name,-14}{value}");
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(inv, $"peaks: best of {peaks.Measurements} measurement(s), the last {peaks.MeasuredUtc:yyyy-MM-dd HH:mm} UTC in {peaks.MeasureSeconds:F1} s at load average {peaks.LoadAverage ?? "unknown"}; each the best of {MachinePeaks.Repetitions} repetitions (triad: best 24 MiB slice of 3 passes)"));
            Console.WriteLine(string.Create(inv, $"{"",-26}{"one core",12}{"all (" + peaks.Threads + " threads)",20}{"docs (2 cores)",16}{"measured/docs",15}"));
            Row(inv, $"FP32 GFLOP/s", peaks.Fp32Kernel, peaks.Fp32GflopsOneCore, peaks.Fp32Gflops, DocsFp32Gflops);
            Row(inv, $"INT8 GOP/s", peaks.Int8Kernel, peaks.Int8GopsOneCore, peaks.Int8Gops, DocsInt8Gops);
            Console.WriteLine(string.Create(inv, $"{"triad GB/s",-26}{peaks.TriadGBpsOneCore,12:F1}{peaks.TriadGBps,20:F1}      (STREAM a = b + s*c, 3 x {peaks.TriadElements * 4 / (1024 * 1024)} MiB, 12 bytes per element)"));
            Console.WriteLine(string.Create(inv, $"ridge point: {peaks.Fp32Gflops / peaks.TriadGBps:F1} FLOP/byte FP32, {peaks.Int8Gops / peaks.TriadGBps:F1} op/byte INT8 (below it a kernel is memory-bound)"));
            Console.WriteLine($"in force for % of peak: {inForce.Source}");
            return 0;
        });
        return command;
    }

    private static void Row(CultureInfo inv, string name, string? kernel, double? one, double? all, double docs)
    {
        if (kernel is null || one is null || all is null)
        {
            Console.WriteLine($"{name,-26}not measured: the CPU lacks the instructions");
            return;
        }

        Console.WriteLine(string.Create(inv, $"{name,-26}{one,12:F0}{all,20:F0}{docs,16:F0}{all / docs,15:F2}   {kernel}"));
    }
}
