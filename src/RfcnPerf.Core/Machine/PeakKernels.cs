using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// Register-only micro-kernels for the machine's arithmetic peak, and a STREAM triad for its memory bandwidth.
/// Each compute kernel keeps <see cref="Accumulators"/> independent dependency chains so the FMA / dot-product
/// latency (4-5 cycles) times the number of vector pipes (2) is hidden; nothing touches memory in the loop.
/// Operation counts follow the usual convention: an FMA is 2 FLOPs per lane, a u8 x s8 multiply-accumulate is
/// 2 ops (vpdpbusd does 4 of them per 32-bit lane: 64 ops per 256-bit instruction). .NET 10 has no managed
/// intrinsic for the 512-bit (EVEX) vpdpbusd (neither Avx512Vnni nor AvxVnni.V512 exist in its reference
/// assemblies; Avx10v1.V512 has no dot product), so the INT8 kernel is the VEX 256-bit AvxVnni form: on a CPU
/// whose zmm vpdpbusd issues as fast as its ymm form this is half the zmm peak ORT's MLAS kernels can reach (and
/// AMX, where present, is beyond both). Reports name the kernel next to the figure.
/// </summary>
internal static class PeakKernels
{
    /// <summary>Independent accumulator chains per kernel (12 zmm of 32; enough for 2 pipes x 5 cycles).</summary>
    public const int Accumulators = 12;

    /// <summary>The FP32 kernel this CPU runs, or null without FMA.</summary>
    public static string? Fp32Kernel =>
        Avx512F.IsSupported ? "AVX-512 FMA (vfmadd231ps zmm)" : Fma.IsSupported ? "AVX2 FMA (vfmadd231ps ymm)" : null;

    /// <summary>The INT8 kernel this CPU runs, or null without VNNI.</summary>
    public static string? Int8Kernel =>
        AvxVnni.IsSupported ? "AVX-VNNI (vpdpbusd ymm)" : null;

    /// <summary>Runs <paramref name="iterations"/> loop trips of the FP32 kernel; returns the FLOPs done and a value to keep.</summary>
    public static (double Flops, float Keep) Fp32(long iterations)
    {
        if (Avx512F.IsSupported)
        {
            return (iterations * Accumulators * 16.0 * 2, Fp32Avx512(iterations));
        }

        if (Fma.IsSupported)
        {
            return (iterations * Accumulators * 8.0 * 2, Fp32Avx2(iterations));
        }

        throw new PlatformNotSupportedException("no FMA instructions on this CPU");
    }

    /// <summary>Runs <paramref name="iterations"/> loop trips of the INT8 kernel; returns the ops done and a value to keep.</summary>
    public static (double Ops, int Keep) Int8(long iterations)
    {
        if (AvxVnni.IsSupported)
        {
            return (iterations * Accumulators * 32.0 * 2, Int8Avx2(iterations));
        }

        throw new PlatformNotSupportedException("no VNNI instructions on this CPU");
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
    private static int Int8Avx2(long iterations)
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
}
