using RfcnPerf.Core.Machine;

namespace RfcnPerf.Core.Tests;

public sealed class MachineInfoTests
{
    // Two blocks of a real /proc/cpuinfo (this development machine, a KVM guest), flags shortened.
    private const string TwoCoreGuest = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC
        physical id	: 0
        core id		: 0
        flags		: fpu sse2 avx2 fma hypervisor avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni

        processor	: 1
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC
        physical id	: 0
        core id		: 1
        flags		: fpu sse2 avx2 fma hypervisor avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni

        """;

    // Hyper-threading: four logical processors on two cores; Sapphire Rapids style AMX flags.
    private const string SmtHost = """
        processor	: 0
        model name	: Intel(R) Xeon(R) Platinum 8480+
        physical id	: 0
        core id		: 0
        flags		: avx2 fma avx512f amx_tile amx_int8 amx_bf16 avx512_vnni
        processor	: 1
        physical id	: 0
        core id		: 1

        processor	: 2
        physical id	: 0
        core id		: 0

        processor	: 3
        physical id	: 0
        core id		: 1
        """;

    [Fact]
    public void Parses_model_cores_flags_and_hypervisor_of_a_guest()
    {
        var (model, cores, flags, hypervisor) = MachineInfo.ParseCpuInfo(TwoCoreGuest);

        Assert.Equal("AMD EPYC", model);
        Assert.Equal(2, cores);
        Assert.Equal(["AVX2", "FMA", "AVX-512F", "AVX-512BW", "AVX-512 VNNI", "AVX-VNNI", "AVX-512 BF16"], flags);
        Assert.NotNull(hypervisor);
    }

    [Fact]
    public void Counts_physical_cores_not_hyperthreads_and_names_amx()
    {
        var (model, cores, flags, hypervisor) = MachineInfo.ParseCpuInfo(SmtHost);

        Assert.Equal("Intel(R) Xeon(R) Platinum 8480+", model);
        Assert.Equal(2, cores);
        Assert.Contains("AMX-INT8", flags);
        Assert.Contains("AMX-BF16", flags);
        Assert.Null(hypervisor);
    }

    [Fact]
    public void Without_core_ids_reports_zero_cores_and_an_unknown_model()
    {
        var (model, cores, flags, _) = MachineInfo.ParseCpuInfo("processor\t: 0\nBogoMIPS\t: 50.00\n");

        Assert.Equal("unknown CPU", model);
        Assert.Equal(0, cores);
        Assert.Empty(flags);
    }

    [Fact]
    public void Current_machine_reports_versions_and_at_least_one_core()
    {
        var machine = MachineInfo.Current();

        Assert.InRange(machine.PhysicalCores, 1, machine.LogicalProcessors);
        Assert.Matches(@"^\d+\.\d+", machine.OnnxRuntime);
        Assert.StartsWith(".NET", machine.DotNet, StringComparison.Ordinal);
        Assert.Contains(machine.CpuModel, machine.Describe(), StringComparison.Ordinal);
    }
}
