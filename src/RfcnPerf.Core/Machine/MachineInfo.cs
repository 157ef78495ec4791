using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The machine a result was measured on (docs/BENCHMARKING.md "What a sweep point reports"): CPU model,
/// physical cores, the ISA flags that decide which ONNX Runtime kernels run (AVX2, AVX-512, VNNI, AMX),
/// memory, OS, .NET and ONNX Runtime versions. Printed with every benchmark and accuracy report.
/// </summary>
public sealed record MachineInfo
{
    // The flags that matter for CPU inference speed, in /proc/cpuinfo spelling, with the name we print.
    private static readonly (string Flag, string Name)[] InterestingFlags =
    [
        ("avx2", "AVX2"),
        ("fma", "FMA"),
        ("avx512f", "AVX-512F"),
        ("avx512bw", "AVX-512BW"),
        ("avx512_vnni", "AVX-512 VNNI"),
        ("avx_vnni", "AVX-VNNI"),
        ("avx512_bf16", "AVX-512 BF16"),
        ("avx512_fp16", "AVX-512 FP16"),
        ("amx_tile", "AMX-TILE"),
        ("amx_int8", "AMX-INT8"),
        ("amx_bf16", "AMX-BF16"),
    ];

    /// <summary>CPU model name, e.g. <c>AMD EPYC</c> (as the OS reports it; VMs often shorten it).</summary>
    public required string CpuModel { get; init; }

    /// <summary>Logical processors visible to this process.</summary>
    public required int LogicalProcessors { get; init; }

    /// <summary>Physical cores (distinct physical id / core id pairs; the logical count where the OS does not say).</summary>
    public required int PhysicalCores { get; init; }

    /// <summary>The inference-relevant ISA extensions present, e.g. <c>AVX2, AVX-512F, AVX-512 VNNI</c>.</summary>
    public required IReadOnlyList<string> IsaFlags { get; init; }

    /// <summary>Hypervisor vendor when the CPU reports running under one (KVM, ...), else null.</summary>
    public string? Hypervisor { get; init; }

    /// <summary>Total memory in bytes, when known.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Operating system description.</summary>
    public required string Os { get; init; }

    /// <summary>.NET runtime description.</summary>
    public required string DotNet { get; init; }

    /// <summary>ONNX Runtime native library version.</summary>
    public required string OnnxRuntime { get; init; }

    /// <summary>What decodes JPEGs in this process (<see cref="Imaging.ImageDecoder.JpegDecoder"/>).</summary>
    public string? JpegDecoder { get; init; }

    /// <summary>Describes the machine this process runs on.</summary>
    public static MachineInfo Current()
    {
        var cpu = OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")
            ? ParseCpuInfo(File.ReadAllText("/proc/cpuinfo"))
            : FromIntrinsics();
        return new MachineInfo
        {
            CpuModel = cpu.Model,
            LogicalProcessors = Environment.ProcessorCount,
            PhysicalCores = cpu.PhysicalCores > 0 ? Math.Min(cpu.PhysicalCores, Environment.ProcessorCount) : Environment.ProcessorCount,
            IsaFlags = cpu.Flags,
            Hypervisor = cpu.Hypervisor,
            MemoryBytes = ReadMemTotal(),
            Os = RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            DotNet = RuntimeInformation.FrameworkDescription,
            OnnxRuntime = OrtEnv.Instance().GetVersionString(),
            JpegDecoder = Imaging.ImageDecoder.JpegDecoder,
        };
    }

    /// <summary>One line, e.g. <c>AMD EPYC, 2 physical cores (2 logical), AVX2 AVX-512F ..., 23.4 GiB</c>.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{CpuModel}, {PhysicalCores} physical cores ({LogicalProcessors} logical){(Hypervisor is null ? string.Empty : $", {Hypervisor} guest")}, " +
        $"{(IsaFlags.Count == 0 ? "no AVX2" : string.Join(' ', IsaFlags))}{(MemoryBytes is { } m ? $", {m / (1024.0 * 1024 * 1024):F1} GiB" : string.Empty)}; " +
        $"{Os}; {DotNet}; ONNX Runtime {OnnxRuntime}{(JpegDecoder is null ? string.Empty : $"; JPEG: {JpegDecoder}")}");

    /// <summary>Name/value rows for a report table.</summary>
    public IReadOnlyList<(string Name, string Value)> Rows() =>
    [
        ("CPU", CpuModel + (Hypervisor is null ? string.Empty : $" ({Hypervisor} guest)")),
        ("Cores", string.Create(CultureInfo.InvariantCulture, $"{PhysicalCores} physical, {LogicalProcessors} logical")),
        ("ISA", IsaFlags.Count == 0 ? "none of AVX2/AVX-512/VNNI/AMX" : string.Join(", ", IsaFlags)),
        ("Memory", MemoryBytes is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m / (1024.0 * 1024 * 1024):F1} GiB") : "unknown"),
        ("OS", Os),
        (".NET", DotNet),
        ("ONNX Runtime", OnnxRuntime),
        ("JPEG decoder", JpegDecoder ?? "not recorded"),
    ];

    /// <summary>
    /// Reads model name, flags, hypervisor and physical cores (distinct <c>physical id</c>/<c>core id</c>
    /// pairs) from the text of /proc/cpuinfo. Physical cores is 0 when the text has no core ids.
    /// </summary>
    internal static (string Model, int PhysicalCores, IReadOnlyList<string> Flags, string? Hypervisor) ParseCpuInfo(string text)
    {
        string? model = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string Package, string Core)>();
        var package = "0";
        string? core = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                // Blank line ends one processor's block.
                if (core is not null)
                {
                    cores.Add((package, core));
                }

                package = "0";
                core = null;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name" or "Processor" or "cpu model" when model is null && value.Length > 0:
                    model = value;
                    break;
                case "flags" or "Features":
                    foreach (var f in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        flags.Add(f);
                    }

                    break;
                case "physical id":
                    package = value;
                    break;
                case "core id":
                    core = value;
                    break;
            }
        }

        if (core is not null)
        {
            cores.Add((package, core));
        }

        var named = InterestingFlags.Where(f => flags.Contains(f.Flag)).Select(f => f.Name).ToArray();
        return (model ?? "unknown CPU", cores.Count, named, flags.Contains("hypervisor") ? HypervisorVendor() : null);
    }

    private static (string Model, int PhysicalCores, IReadOnlyList<string> Flags, string? Hypervisor) FromIntrinsics()
    {
        var flags = new List<string>();
        if (Avx2.IsSupported)
        {
            flags.Add("AVX2");
        }

        if (Fma.IsSupported)
        {
            flags.Add("FMA");
        }

        if (Avx512F.IsSupported)
        {
            flags.Add("AVX-512F");
        }

        if (Avx512BW.IsSupported)
        {
            flags.Add("AVX-512BW");
        }

        if (AvxVnni.IsSupported)
        {
            flags.Add("AVX-VNNI");
        }

        var model = Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } id ? id : RuntimeInformation.ProcessArchitecture.ToString();
        return (model, 0, flags, null);
    }

    private static string HypervisorVendor()
    {
        // CPUID leaf 0x40000000 carries the hypervisor's vendor signature ("KVMKVMKVM", "VMwareVMware",
        // "Microsoft Hv"), which is what lscpu prints.
        if (X86Base.IsSupported)
        {
            var (_, ebx, ecx, edx) = X86Base.CpuId(0x40000000, 0);
            Span<byte> bytes = stackalloc byte[12];
            BitConverter.TryWriteBytes(bytes[..4], ebx);
            BitConverter.TryWriteBytes(bytes[4..8], ecx);
            BitConverter.TryWriteBytes(bytes[8..], edx);
            var signature = System.Text.Encoding.ASCII.GetString(bytes).TrimEnd('\0').Trim();
            return signature switch
            {
                "KVMKVMKVM" => "KVM",
                "VMwareVMware" => "VMware",
                "Microsoft Hv" => "Hyper-V",
                "XenVMMXenVMM" => "Xen",
                { Length: > 0 } other when other.All(c => c >= ' ' && c < 127) => other,
                _ => "hypervisor",
            };
        }

        return "hypervisor";
    }

    private static long? ReadMemTotal()
    {
        const string path = "/proc/meminfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
            }
        }

        return null;
    }
}
