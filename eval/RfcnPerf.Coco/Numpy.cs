using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// The few numpy 1.24 routines whose exact rounding decides the last bits of COCOeval's numbers. Each is
/// written to perform the same floating-point operations in the same order as numpy's C code.
/// </summary>
internal static class Numpy
{
    /// <summary>numpy's reduction buffer: np.add.reduce feeds the inner loop blocks of this many elements.</summary>
    private const int ReduceBufferSize = 8192;

    /// <summary>numpy's PW_BLOCKSIZE: below it pairwise_sum unrolls by 8 instead of recursing.</summary>
    private const int PairwiseBlockSize = 128;

    /// <summary>
    /// <c>np.linspace(start, stop, num)</c> (endpoint=True): <c>i * step + start</c> with
    /// <c>step = (stop - start) / (num - 1)</c>, and the last element set to <paramref name="stop"/>.
    /// This is why the 9th IoU threshold is 0.8999999999999999 and recThrs[35] is 0.35000000000000003.
    /// </summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(num);
        var y = new double[num];
        if (num == 0)
        {
            return y;
        }

        int div = num - 1;
        double delta = stop - start;
        double step = div > 0 ? delta / div : 0.0;
        for (int i = 0; i < num; i++)
        {
            // numpy: y = arange(num) * step; y += start (two roundings, never a fused multiply-add).
            double scaled = div == 0 ? i * delta : step == 0 ? i / (double)div * delta : i * step;
            y[i] = scaled + start;
        }

        if (num > 1)
        {
            y[num - 1] = stop;
        }

        return y;
    }

    /// <summary>
    /// <c>np.mean(a)</c> for a 1-D float64 array: <c>np.add.reduce</c> adds numpy's pairwise sum of each
    /// 8192-element buffer to a running total that starts at 0.0, then divides by the count. A plain
    /// left-to-right sum differs in the last bits for more than 8 elements.
    /// </summary>
    public static double Mean(ReadOnlySpan<double> a)
    {
        double total = 0.0;
        for (int start = 0; start < a.Length; start += ReduceBufferSize)
        {
            total += PairwiseSum(a.Slice(start, Math.Min(ReduceBufferSize, a.Length - start)));
        }

        return total / a.Length;
    }

    /// <summary>numpy's <c>DOUBLE_pairwise_sum</c> (loops_utils.h.src), operation for operation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        if (n <= PairwiseBlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        // Halve, keeping the first part a multiple of the 8-way unroll.
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }
}
