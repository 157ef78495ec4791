using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RfcnPerf.Core.Imaging;

/// <summary>
/// The bilinear resize that <c>SKBitmap.ScalePixels</c> with <c>SKFilterMode.Linear</c> performs on RGBA8888
/// (Skia's raster pipeline, low-precision stage <c>bilerp_clamp_8888</c>), reproduced integer for integer so the
/// pre-processed tensor keeps Skia's bits, and fused with the normalisation into the float planes (no resized
/// bitmap). Skia's arithmetic, per output pixel (x, y) of a <c>sw x sh -> dw x dh</c> resize:
/// <list type="bullet">
/// <item>sample centre <c>cx = (x + 0.5f) * (1f / ((float)dw / sw))</c> in float32 (the inverse of the
/// rect-to-rect matrix), likewise cy;</item>
/// <item>16.16 fixed point <c>q = floor(65536f * cx + 0.5f) - 32768</c>; taps <c>x0 = q &gt;&gt; 16</c> and
/// <c>x0 + 1</c>, each clamped to the image; weight <c>t = (short)(q ^ 0x8000)</c> (the fraction minus one half,
/// Q15);</item>
/// <item>per channel, horizontally <c>h = (qmul(t, (r - l) &lt;&lt; 7) + ((r + l) &lt;&lt; 7) + 1) &gt;&gt; 1</c>,
/// then vertically <c>(qmul(ty, hb - ht) + hb + ht + 128) &gt;&gt; 8</c>, with the rounding Q15 product
/// <c>qmul(a, b) = (a * b + 0x4000) &gt;&gt; 15</c> (x86 <c>pmulhrsw</c>).</item>
/// </list>
/// The value ranges keep every product inside int32 and never reach the saturation of Skia's 16-bit lanes.
/// Holds per-instance buffers: not thread-safe, one per <see cref="Preprocessor"/>.
/// </summary>
internal sealed class LowpBilinear
{
    /// <summary>
    /// Largest side the integer path takes: Skia's 16.16 coordinate of a sample past 32767 pixels does not fit its
    /// int32 lanes, so larger images keep going through Skia itself.
    /// </summary>
    public const int MaxSide = 32767;

    private int[] x0 = [];
    private int[] x1 = [];
    private int[] tx = [];
    private int[] rowA = [];
    private int[] rowB = [];
    private int sourceWidth = -1;
    private int outputWidth = -1;

    /// <summary>True when a <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/> image takes the integer path.</summary>
    public static bool Supports(int sourceWidth, int sourceHeight) => sourceWidth <= MaxSide && sourceHeight <= MaxSide;

    /// <summary>
    /// Resizes RGBA8888 <paramref name="source"/> to <paramref name="width"/> x <paramref name="height"/> and writes
    /// row y of channel c at <c>planes[c] + y * stride</c> as <c>(float)value * scale[c] + bias[c]</c> (multiply
    /// and add rounded separately, as <see cref="Preprocessor"/>'s direct conversion does). Tensor channel 0 takes
    /// the byte at bit <paramref name="c0Shift"/> of the little-endian pixel, channel 1 green, channel 2 the byte at
    /// <paramref name="c2Shift"/>.
    /// </summary>
    public unsafe void Resize(
        byte* source, long rowBytes, int sourceWidthPx, int sourceHeight, int width, int height,
        int c0Shift, int c2Shift, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias,
        float* plane0, float* plane1, float* plane2, int stride)
    {
        PrepareColumns(sourceWidthPx, width);
        var inverseY = 1f / ((float)height / sourceHeight);
        int cachedA = -1, cachedB = -1;
        fixed (int* a = rowA, b = rowB, xs0 = x0, xs1 = x1, ts = tx)
        {
            for (var y = 0; y < height; y++)
            {
                var (y0, y1, ty) = Tap((y + 0.5f) * inverseY, sourceHeight);

                // Horizontal results of the two source rows, each computed once while consecutive output rows use it.
                var top = CachedRow(y0, y1, ref cachedA, ref cachedB, a, b, source, rowBytes, xs0, xs1, ts, width, c0Shift, c2Shift);
                var bottom = CachedRow(y1, y0, ref cachedA, ref cachedB, a, b, source, rowBytes, xs0, xs1, ts, width, c0Shift, c2Shift);
                var offset = (long)y * stride;
                Vertical(top, bottom, ty, width, scale, bias, plane0 + offset, plane1 + offset, plane2 + offset);
            }
        }
    }

    /// <summary>Skia's 16.16 taps of a sample centre: clamped left/top pixel, right/bottom pixel, Q15 weight - 0.5.</summary>
    internal static (int Low, int High, int Weight) Tap(float centre, int size)
    {
        var q = (int)MathF.Floor((65536f * centre) + 0.5f) - 32768;
        var i = q >> 16;
        return (Math.Clamp(i, 0, size - 1), Math.Clamp(i + 1, 0, size - 1), unchecked((short)(q ^ 0x8000)));
    }

    /// <summary>
    /// The horizontal lerp of source row <paramref name="row"/>: a buffer already holding it, else the buffer the
    /// other tap of the output row (<paramref name="keep"/>) does not hold, recomputed.
    /// </summary>
    private static unsafe int* CachedRow(
        int row, int keep, ref int rowInA, ref int rowInB, int* bufferA, int* bufferB, byte* source, long rowBytes,
        int* xs0, int* xs1, int* ts, int width, int c0Shift, int c2Shift)
    {
        if (rowInA == row)
        {
            return bufferA;
        }

        if (rowInB == row)
        {
            return bufferB;
        }

        var useA = rowInA != keep;
        var buffer = useA ? bufferA : bufferB;
        Horizontal((uint*)(source + (row * rowBytes)), xs0, xs1, ts, width, c0Shift, c2Shift, buffer);
        if (useA)
        {
            rowInA = row;
        }
        else
        {
            rowInB = row;
        }

        return buffer;
    }

    private void PrepareColumns(int sourceWidthPx, int width)
    {
        if (sourceWidthPx == sourceWidth && width == outputWidth)
        {
            return;
        }

        if (x0.Length < width)
        {
            x0 = new int[width];
            x1 = new int[width];
            tx = new int[width];
            rowA = new int[3 * width];
            rowB = new int[3 * width];
        }

        var inverseX = 1f / ((float)width / sourceWidthPx);
        for (var x = 0; x < width; x++)
        {
            (x0[x], x1[x], tx[x]) = Tap((x + 0.5f) * inverseX, sourceWidthPx);
        }

        sourceWidth = sourceWidthPx;
        outputWidth = width;
    }

    /// <summary>One source row lerped horizontally into three int planes of <paramref name="width"/> (tensor channel order).</summary>
    private static unsafe void Horizontal(uint* row, int* xs0, int* xs1, int* ts, int width, int c0Shift, int c2Shift, int* into)
    {
        int* h0 = into, h1 = into + width, h2 = into + (2 * width);
        var x = 0;
        if (Avx2.IsSupported)
        {
            var mask = Vector256.Create(0xFF);
            for (; x <= width - Vector256<int>.Count; x += Vector256<int>.Count)
            {
                var l = Avx2.GatherVector256((int*)row, Vector256.Load(xs0 + x), 4);
                var r = Avx2.GatherVector256((int*)row, Vector256.Load(xs1 + x), 4);
                var t = Vector256.Load(ts + x);
                Lerp((l >>> c0Shift) & mask, (r >>> c0Shift) & mask, t).Store(h0 + x);
                Lerp((l >>> 8) & mask, (r >>> 8) & mask, t).Store(h1 + x);
                Lerp((l >>> c2Shift) & mask, (r >>> c2Shift) & mask, t).Store(h2 + x);
            }
        }

        for (; x < width; x++)
        {
            uint l = row[xs0[x]], r = row[xs1[x]];
            var t = ts[x];
            h0[x] = Lerp((int)((l >> c0Shift) & 0xFF), (int)((r >> c0Shift) & 0xFF), t);
            h1[x] = Lerp((int)((l >> 8) & 0xFF), (int)((r >> 8) & 0xFF), t);
            h2[x] = Lerp((int)((l >> c2Shift) & 0xFF), (int)((r >> c2Shift) & 0xFF), t);
        }
    }

    private static unsafe void Vertical(int* top, int* bottom, int ty, int width, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float* d0, float* d1, float* d2)
    {
        Channel(top, bottom, ty, width, scale[0], bias[0], d0);
        Channel(top + width, bottom + width, ty, width, scale[1], bias[1], d1);
        Channel(top + (2 * width), bottom + (2 * width), ty, width, scale[2], bias[2], d2);
    }

    private static unsafe void Channel(int* top, int* bottom, int ty, int width, float scale, float bias, float* into)
    {
        var x = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<int> t = Vector512.Create(ty), half = Vector512.Create(0x4000), round = Vector512.Create(128);
            Vector512<float> s = Vector512.Create(scale), b = Vector512.Create(bias);
            for (; x <= width - Vector512<int>.Count; x += Vector512<int>.Count)
            {
                var ht = Vector512.Load(top + x);
                var hb = Vector512.Load(bottom + x);
                var value = ((((t * (hb - ht)) + half) >> 15) + hb + ht + round) >> 8;
                Vector512.Add(Vector512.Multiply(Vector512.ConvertToSingle(value), s), b).Store(into + x);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> t = Vector256.Create(ty), half = Vector256.Create(0x4000), round = Vector256.Create(128);
            Vector256<float> s = Vector256.Create(scale), b = Vector256.Create(bias);
            for (; x <= width - Vector256<int>.Count; x += Vector256<int>.Count)
            {
                var ht = Vector256.Load(top + x);
                var hb = Vector256.Load(bottom + x);
                var value = ((((t * (hb - ht)) + half) >> 15) + hb + ht + round) >> 8;
                Vector256.Add(Vector256.Multiply(Vector256.ConvertToSingle(value), s), b).Store(into + x);
            }
        }

        for (; x < width; x++)
        {
            var value = (QMul(ty, bottom[x] - top[x]) + bottom[x] + top[x] + 128) >> 8;
            into[x] = (value * scale) + bias;
        }
    }

    private static Vector256<int> Lerp(Vector256<int> l, Vector256<int> r, Vector256<int> t) =>
        ((((t * ((r - l) << 7)) + Vector256.Create(0x4000)) >> 15) + ((r + l) << 7) + Vector256<int>.One) >> 1;

    private static int Lerp(int l, int r, int t) => (QMul(t, (r - l) << 7) + ((r + l) << 7) + 1) >> 1;

    /// <summary>Rounding Q15 product (pmulhrsw); |a| &lt;= 32768 and |b| &lt;= 32640 here, so it never saturates.</summary>
    private static int QMul(int a, int b) => ((a * b) + 0x4000) >> 15;
}
