using System.Runtime.Intrinsics.X86;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The x86 instruction-set levels that decide which peak kernels run (<see cref="PeakKernels.Plan"/>) and which
/// kernel ONNX Runtime's MLAS picks for its GEMMs. <see cref="Current"/> reads this process's CPU; tests build one
/// per ISA level. The record is the only input of kernel choice, so every level can be exercised on any machine.
/// </summary>
public sealed record CpuCapabilities
{
    /// <summary>AVX2 with FMA3 (x86-64-v3): MLAS's AVX2 kernels and our ymm kernels.</summary>
    public bool Avx2 { get; init; }

    /// <summary>AVX-512 F, BW, DQ and VL with the OS saving zmm state: what MLAS calls "AVX512 core".</summary>
    public bool Avx512 { get; init; }

    /// <summary>AVX-512 VNNI (EVEX vpdpbusd on zmm).</summary>
    public bool Avx512Vnni { get; init; }

    /// <summary>AVX-VNNI (VEX vpdpbusd on ymm), the only dot product .NET 10 exposes as an intrinsic.</summary>
    public bool AvxVnni { get; init; }

    /// <summary>AMX-TILE and AMX-INT8 (MLAS uses them when the OS grants the tile state).</summary>
    public bool AmxInt8 { get; init; }

    /// <summary>
    /// This process's view: the runtime's own flags where .NET has an intrinsic class (so <c>DOTNET_EnableAVX512=0</c>
    /// and friends narrow it as they narrow what managed code may run), CPUID where it has none (AVX-512 VNNI, AMX).
    /// </summary>
    public static CpuCapabilities Current()
    {
        if (!X86Base.IsSupported)
        {
            return new CpuCapabilities();
        }

        var avx512 = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;
        var (_, _, ecx7, edx7) = X86Base.CpuId(7, 0);
        return new CpuCapabilities
        {
            Avx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported && Fma.IsSupported,
            Avx512 = avx512,
            Avx512Vnni = avx512 && (ecx7 & (1 << 11)) != 0,
            AvxVnni = System.Runtime.Intrinsics.X86.AvxVnni.IsSupported,
            AmxInt8 = avx512 && (edx7 & (1 << 24)) != 0 && (edx7 & (1 << 25)) != 0,
        };
    }

    /// <summary>The levels present, e.g. <c>AVX2, AVX-512, AVX-512 VNNI</c>; <c>below AVX2</c> when none is.</summary>
    public string Describe()
    {
        string?[] present =
        [
            Avx2 ? "AVX2" : null,
            Avx512 ? "AVX-512" : null,
            Avx512Vnni ? "AVX-512 VNNI" : null,
            AvxVnni ? "AVX-VNNI" : null,
            AmxInt8 ? "AMX-INT8" : null,
        ];
        var names = present.OfType<string>().ToArray();
        return names.Length == 0 ? "below AVX2" : string.Join(", ", names);
    }
}
