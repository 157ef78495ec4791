using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// The kernels that measure the machine's compute peaks, chosen from a <see cref="CpuCapabilities"/> record
/// (<see cref="Plan"/>), and a STREAM triad for its memory bandwidth. Two kinds per precision:
/// <list type="bullet">
/// <item>register-only micro-kernels of ours: <see cref="Accumulators"/> independent dependency chains hide the
/// multiply latency (4-5 cycles) times the vector pipes (2); nothing touches memory in the loop. .NET 10 has no
/// managed intrinsic for the 512-bit (EVEX) vpdpbusd (it arrives with .NET 11's Avx512Vnni), so the INT8 register
/// kernel is AVX-VNNI vpdpbusd on ymm where the CPU has AVX-VNNI, and otherwise vpmaddubsw + vpmaddwd + vpaddd, the
/// sequence MLAS runs without VNNI (on zmm with AVX-512BW, on ymm with AVX2): on a CPU with AVX-512 VNNI both
/// understate what ONNX Runtime reaches;</item>
/// <item>ONNX Runtime's own GEMM (MatMul / MatMulInteger u8 x s8, <see cref="GemmRowsPerThread"/> x
/// <see cref="GemmK"/> x <see cref="GemmN"/> per thread, one session per thread), which runs whatever kernel MLAS picks from CPUID (AVX-512 VNNI on zmm, AMX): the ceiling
/// our models can actually reach.</item>
/// </list>
/// The peak of a precision is the highest all-core figure of its kernels (<see cref="MachinePeaks"/>), so a
/// measured model never exceeds it because of a slow probe. Operation counts follow the usual convention: an FMA
/// is 2 FLOPs per lane, a u8 x s8 multiply-accumulate is 2 ops (64 per 256-bit vpdpbusd).
/// </summary>
internal static class PeakKernels
{
    /// <summary>Independent accumulator chains per register kernel (12 zmm of 32; enough for 2 pipes x 5 cycles).</summary>
    public const int Accumulators = 12;

    /// <summary>
    /// Rows of A and C of the ONNX Runtime GEMM that each thread runs (1 G ops): about a millisecond in INT8, a few in
    /// FP32, short enough that one of many rounds finds the cores free on a shared machine, long enough that releasing
    /// the threads stays a small share.
    /// </summary>
    public const int GemmRowsPerThread = 256;

    /// <summary>Inner dimension of the ONNX Runtime GEMM: long enough that packing A is a small share of a run.</summary>
    public const int GemmK = 2048;

    /// <summary>Columns of B and C in the ONNX Runtime GEMM (B of 2 MiB int8, 8 MiB fp32: packed once per session).</summary>
    public const int GemmN = 1024;

    /// <summary>Id of the FP32 AVX-512 FMA register kernel.</summary>
    public const string Fp32Avx512Id = "fp32-avx512-fma";

    /// <summary>Id of the FP32 AVX2 FMA register kernel.</summary>
    public const string Fp32Avx2Id = "fp32-avx2-fma";

    /// <summary>Id of the INT8 AVX-VNNI register kernel.</summary>
    public const string Int8AvxVnniId = "int8-avx-vnni";

    /// <summary>Id of the INT8 AVX-512BW vpmaddubsw + vpmaddwd register kernel.</summary>
    public const string Int8Avx512BwId = "int8-avx512bw";

    /// <summary>Id of the INT8 AVX2 vpmaddubsw + vpmaddwd register kernel.</summary>
    public const string Int8Avx2Id = "int8-avx2";

    /// <summary>Id of ONNX Runtime's FP32 MatMul.</summary>
    public const string Fp32OrtId = "fp32-ort-matmul";

    /// <summary>Id of ONNX Runtime's u8 x s8 MatMulInteger.</summary>
    public const string Int8OrtId = "int8-ort-matmulinteger";

    /// <summary>
    /// The kernels that measure the peaks of a CPU with <paramref name="cpu"/>: at most one register kernel per
    /// precision (the widest the CPU runs) and ONNX Runtime's GEMM for both, on every x86-64 CPU.
    /// </summary>
    public static IReadOnlyList<PeakKernel> Plan(CpuCapabilities cpu)
    {
        var kernels = new List<PeakKernel>();
        if (cpu.Avx512)
        {
            kernels.Add(new(Fp32Avx512Id, PeakPrecision.Fp32, "AVX-512 FMA vfmadd231ps zmm (register kernel)", false));
        }
        else if (cpu.Avx2)
        {
            kernels.Add(new(Fp32Avx2Id, PeakPrecision.Fp32, "AVX2 FMA vfmadd231ps ymm (register kernel)", false));
        }

        kernels.Add(new(Fp32OrtId, PeakPrecision.Fp32, Gemm("MatMul fp32", "SGEMM", MlasSgemmKernel(cpu)), true));
        if (cpu.AvxVnni)
        {
            kernels.Add(new(Int8AvxVnniId, PeakPrecision.Int8, "AVX-VNNI vpdpbusd ymm (register kernel)", false));
        }
        else if (cpu.Avx512)
        {
            kernels.Add(new(Int8Avx512BwId, PeakPrecision.Int8, "AVX-512BW vpmaddubsw+vpmaddwd zmm (register kernel)", false));
        }
        else if (cpu.Avx2)
        {
            kernels.Add(new(Int8Avx2Id, PeakPrecision.Int8, "AVX2 vpmaddubsw+vpmaddwd ymm (register kernel)", false));
        }

        kernels.Add(new(Int8OrtId, PeakPrecision.Int8, Gemm("MatMulInteger u8 x s8", "QGEMM", MlasQgemmKernel(cpu)), true));
        return kernels;
    }

    /// <summary>
    /// The U8S8 QGEMM kernel MLAS selects on this CPU (onnxruntime/core/mlas/lib/platform.cpp): AVX2, replaced by
    /// AVX-VNNI, replaced by AVX-512 core, replaced by AVX-512 VNNI, replaced by AMX. A CPU with AVX-512 but without
    /// AVX-512 VNNI therefore runs vpmaddubsw on zmm even when it has AVX-VNNI.
    /// </summary>
    public static string MlasQgemmKernel(CpuCapabilities cpu) =>
        cpu.AmxInt8 ? "AMX-INT8 tiles where the OS grants them, else AVX-512 VNNI vpdpbusd zmm"
        : cpu.Avx512 && cpu.Avx512Vnni ? "AVX-512 VNNI vpdpbusd zmm"
        : cpu.Avx512 ? "AVX-512BW vpmaddubsw+vpmaddwd zmm"
        : cpu.AvxVnni ? "AVX-VNNI vpdpbusd ymm"
        : cpu.Avx2 ? "AVX2 vpmaddubsw+vpmaddwd ymm"
        : "SSE";

    /// <summary>The SGEMM kernel MLAS selects on this CPU: AVX-512F, else FMA3, else AVX/SSE.</summary>
    public static string MlasSgemmKernel(CpuCapabilities cpu) =>
        cpu.Avx512 ? "AVX-512F vfmadd231ps zmm" : cpu.Avx2 ? "FMA3 vfmadd231ps ymm" : "AVX/SSE";

    /// <summary>Runs <paramref name="iterations"/> loop trips of register kernel <paramref name="id"/>; returns the operations done and a value to keep.</summary>
    public static (double Ops, double Keep) Run(string id, long iterations)
    {
        Require(id);
        return id switch
        {
            Fp32Avx512Id => (iterations * Accumulators * 16.0 * 2, Fp32Avx512(iterations)),
            Fp32Avx2Id => (iterations * Accumulators * 8.0 * 2, Fp32Avx2(iterations)),
            Int8AvxVnniId => (iterations * Accumulators * 32.0 * 2, Int8AvxVnni(iterations)),
            Int8Avx512BwId => (iterations * Accumulators * 64.0 * 2, Int8Avx512Bw(iterations)),
            Int8Avx2Id => (iterations * Accumulators * 32.0 * 2, Int8Avx2(iterations)),
            _ => throw new ArgumentException($"'{id}' is not a register kernel", nameof(id)),
        };
    }

    private static string Gemm(string op, string mlas, string kernel) =>
        string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime {op} {GemmRowsPerThread}x{GemmK}x{GemmN} per thread (MLAS {mlas}, {kernel})");

    // A plan made from an injected record may name a kernel this CPU cannot run: refuse it rather than fault.
    private static void Require(string id)
    {
        var supported = id switch
        {
            Fp32Avx512Id or Int8Avx512BwId => Avx512F.IsSupported && Avx512BW.IsSupported,
            Fp32Avx2Id or Int8Avx2Id => Avx2.IsSupported && Fma.IsSupported,
            Int8AvxVnniId => AvxVnni.IsSupported,
            _ => true,
        };
        if (!supported)
        {
            throw new PlatformNotSupportedException($"this CPU cannot run the register kernel '{id}'");
        }
    }

    /// <summary>
    /// STREAM triad <c>a[i] = b[i] + s * c[i]</c> over <paramref name="a"/>'s range; returns the bytes moved by
    /// STREAM's convention (3 x 4 bytes per element: two reads and one write, write-allocate not counted).
    /// </summary>
    public static double Triad(Span<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, float s)
    {
        var n = a.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated || Avx512F.IsSupported)
        {
            var vs = Vector512.Create(s);
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.Create(b.Slice(i, 16)) + (vs * Vector512.Create(c.Slice(i, 16)))).CopyTo(a.Slice(i, 16));
            }
        }
        else
        {
            var vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.Create(b.Slice(i, 8)) + (vs * Vector256.Create(c.Slice(i, 8)))).CopyTo(a.Slice(i, 8));
            }
        }

        for (; i < n; i++)
        {
            a[i] = b[i] + (s * c[i]);
        }

        return n * 12.0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fp32Avx512(long iterations)
    {
        // acc = acc * x + y converges to y / (1 - x): no overflow, no denormals, whatever the trip count.
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-6f);
        Vector512<float> a0 = Vector512.Create(0.0f), a1 = Vector512.Create(0.1f), a2 = Vector512.Create(0.2f), a3 = Vector512.Create(0.3f);
        Vector512<float> a4 = Vector512.Create(0.4f), a5 = Vector512.Create(0.5f), a6 = Vector512.Create(0.6f), a7 = Vector512.Create(0.7f);
        Vector512<float> a8 = Vector512.Create(0.8f), a9 = Vector512.Create(0.9f), a10 = Vector512.Create(1.0f), a11 = Vector512.Create(1.1f);
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, x, y);
            a1 = Avx512F.FusedMultiplyAdd(a1, x, y);
            a2 = Avx512F.FusedMultiplyAdd(a2, x, y);
            a3 = Avx512F.FusedMultiplyAdd(a3, x, y);
            a4 = Avx512F.FusedMultiplyAdd(a4, x, y);
            a5 = Avx512F.FusedMultiplyAdd(a5, x, y);
            a6 = Avx512F.FusedMultiplyAdd(a6, x, y);
            a7 = Avx512F.FusedMultiplyAdd(a7, x, y);
            a8 = Avx512F.FusedMultiplyAdd(a8, x, y);
            a9 = Avx512F.FusedMultiplyAdd(a9, x, y);
            a10 = Avx512F.FusedMultiplyAdd(a10, x, y);
            a11 = Avx512F.FusedMultiplyAdd(a11, x, y);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fp32Avx2(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-6f);
        Vector256<float> a0 = Vector256.Create(0.0f), a1 = Vector256.Create(0.1f), a2 = Vector256.Create(0.2f), a3 = Vector256.Create(0.3f);
        Vector256<float> a4 = Vector256.Create(0.4f), a5 = Vector256.Create(0.5f), a6 = Vector256.Create(0.6f), a7 = Vector256.Create(0.7f);
        Vector256<float> a8 = Vector256.Create(0.8f), a9 = Vector256.Create(0.9f), a10 = Vector256.Create(1.0f), a11 = Vector256.Create(1.1f);
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y);
            a1 = Fma.MultiplyAdd(a1, x, y);
            a2 = Fma.MultiplyAdd(a2, x, y);
            a3 = Fma.MultiplyAdd(a3, x, y);
            a4 = Fma.MultiplyAdd(a4, x, y);
            a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y);
            a7 = Fma.MultiplyAdd(a7, x, y);
            a8 = Fma.MultiplyAdd(a8, x, y);
            a9 = Fma.MultiplyAdd(a9, x, y);
            a10 = Fma.MultiplyAdd(a10, x, y);
            a11 = Fma.MultiplyAdd(a11, x, y);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Int8AvxVnni(long iterations)
    {
        var u = Vector256.Create((byte)3);
        var s = Vector256.Create((sbyte)-2);
        Vector256<int> a0 = Vector256.Create(0), a1 = Vector256.Create(1), a2 = Vector256.Create(2), a3 = Vector256.Create(3);
        Vector256<int> a4 = Vector256.Create(4), a5 = Vector256.Create(5), a6 = Vector256.Create(6), a7 = Vector256.Create(7);
        Vector256<int> a8 = Vector256.Create(8), a9 = Vector256.Create(9), a10 = Vector256.Create(10), a11 = Vector256.Create(11);
        for (var i = 0L; i < iterations; i++)
        {
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, u, s);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, u, s);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, u, s);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, u, s);
            a4 = AvxVnni.MultiplyWideningAndAdd(a4, u, s);
            a5 = AvxVnni.MultiplyWideningAndAdd(a5, u, s);
            a6 = AvxVnni.MultiplyWideningAndAdd(a6, u, s);
            a7 = AvxVnni.MultiplyWideningAndAdd(a7, u, s);
            a8 = AvxVnni.MultiplyWideningAndAdd(a8, u, s);
            a9 = AvxVnni.MultiplyWideningAndAdd(a9, u, s);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, u, s);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, u, s);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>
    /// vpmaddubsw (u8 x s8 pairs into saturating int16) + vpmaddwd (pairs into int32, by ones) + vpaddd: MLAS's
    /// multiply-accumulate without VNNI. The u8 operand is the chain's own accumulator read as bytes, so nothing
    /// in the loop is invariant (the JIT would hoist a multiply of two constants); saturation does not change the
    /// instructions' speed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Int8Avx512Bw(long iterations)
    {
        var s = Vector512.Create((sbyte)-2);
        var ones = Vector512.Create((short)1);
        Vector512<int> a0 = Vector512.Create(0), a1 = Vector512.Create(1), a2 = Vector512.Create(2), a3 = Vector512.Create(3);
        Vector512<int> a4 = Vector512.Create(4), a5 = Vector512.Create(5), a6 = Vector512.Create(6), a7 = Vector512.Create(7);
        Vector512<int> a8 = Vector512.Create(8), a9 = Vector512.Create(9), a10 = Vector512.Create(10), a11 = Vector512.Create(11);
        for (var i = 0L; i < iterations; i++)
        {
            a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0.AsByte(), s), ones);
            a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1.AsByte(), s), ones);
            a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2.AsByte(), s), ones);
            a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a3.AsByte(), s), ones);
            a4 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a4.AsByte(), s), ones);
            a5 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a5.AsByte(), s), ones);
            a6 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a6.AsByte(), s), ones);
            a7 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a7.AsByte(), s), ones);
            a8 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a8.AsByte(), s), ones);
            a9 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a9.AsByte(), s), ones);
            a10 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a10.AsByte(), s), ones);
            a11 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a11.AsByte(), s), ones);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>The AVX2 (ymm) form of <see cref="Int8Avx512Bw"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Int8Avx2(long iterations)
    {
        var s = Vector256.Create((sbyte)-2);
        var ones = Vector256.Create((short)1);
        Vector256<int> a0 = Vector256.Create(0), a1 = Vector256.Create(1), a2 = Vector256.Create(2), a3 = Vector256.Create(3);
        Vector256<int> a4 = Vector256.Create(4), a5 = Vector256.Create(5), a6 = Vector256.Create(6), a7 = Vector256.Create(7);
        Vector256<int> a8 = Vector256.Create(8), a9 = Vector256.Create(9), a10 = Vector256.Create(10), a11 = Vector256.Create(11);
        for (var i = 0L; i < iterations; i++)
        {
            a0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a0.AsByte(), s), ones);
            a1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a1.AsByte(), s), ones);
            a2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a2.AsByte(), s), ones);
            a3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a3.AsByte(), s), ones);
            a4 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a4.AsByte(), s), ones);
            a5 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a5.AsByte(), s), ones);
            a6 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a6.AsByte(), s), ones);
            a7 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a7.AsByte(), s), ones);
            a8 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a8.AsByte(), s), ones);
            a9 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a9.AsByte(), s), ones);
            a10 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a10.AsByte(), s), ones);
            a11 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a11.AsByte(), s), ones);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
