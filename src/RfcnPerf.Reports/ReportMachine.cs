using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Reports;

/// <summary>
/// The machine a report was measured on: CPU model, cores, the ISA flags that decide which ONNX Runtime kernels
/// run, memory, OS, .NET and ONNX Runtime. A small stand-in for the fuller <c>RfcnPerf.Core.Machine.MachineInfo</c>
/// being written for the benchmark (same rows), to be replaced by it once it lands on main.
/// </summary>
internal static class ReportMachine
{
    private static readonly (string Flag, string Name)[] InterestingFlags =
    [
        ("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512bw", "AVX-512BW"),
        ("avx512_vnni", "AVX-512 VNNI"), ("avx_vnni", "AVX-VNNI"), ("avx512_bf16", "AVX-512 BF16"),
        ("amx_tile", "AMX-TILE"), ("amx_int8", "AMX-INT8"),
    ];

    /// <summary>Name/value rows describing this machine.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        string model = "unknown CPU";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string, string)>();
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            string package = "0";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "model name" when model == "unknown CPU":
                        model = value;
                        break;
                    case "flags":
                        flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                        break;
                    case "physical id":
                        package = value;
                        break;
                    case "core id":
                        cores.Add((package, value));
                        break;
                }
            }
        }

        var physical = cores.Count > 0 ? Math.Min(cores.Count, Environment.ProcessorCount) : Environment.ProcessorCount;
        var isa = InterestingFlags.Where(f => flags.Contains(f.Flag)).Select(f => f.Name).ToArray();
        return
        [
            new("CPU", model + (flags.Contains("hypervisor") ? " (virtual machine)" : string.Empty)),
            new("Cores", string.Create(inv, $"{physical} physical, {Environment.ProcessorCount} logical")),
            new("ISA", isa.Length == 0 ? "none of AVX2/AVX-512/VNNI/AMX" : string.Join(", ", isa)),
            new("Memory", MemTotal() is { } m ? string.Create(inv, $"{m / (1024.0 * 1024 * 1024):F1} GiB") : "unknown"),
            new("OS", RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()),
            new(".NET", RuntimeInformation.FrameworkDescription),
            new("ONNX Runtime", OrtEnv.Instance().GetVersionString()),
            new("Load average at start", LoadAverage() ?? "unknown"),
        ];
    }

    /// <summary>
    /// The 1, 5 and 15 minute load averages with the core count, e.g. <c>0.31 0.40 0.52 (2 cores)</c>: a load above
    /// the core count means other work competed for the CPU while the latency was measured.
    /// </summary>
    internal static string? LoadAverage()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/loadavg"))
        {
            return null;
        }

        var parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3
            ? string.Create(CultureInfo.InvariantCulture, $"{parts[0]} {parts[1]} {parts[2]} (1/5/15 min; {Environment.ProcessorCount} logical CPUs)")
            : null;
    }

    private static long? MemTotal()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/meminfo"))
        {
            return null;
        }

        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }
}
