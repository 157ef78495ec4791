namespace RfcnPerf.Coco.Masks;

/// <summary>
/// Growable working buffers for <see cref="MaskApi.FrPoly"/> (one owner per thread), so rasterising a polygon
/// allocates nothing once the buffers have reached the largest polygon's size.
/// </summary>
internal sealed class MaskScratch
{
    private readonly int[][] ints = [[], [], [], []];
    private readonly uint[][] uints = [[], []];

    /// <summary>Int buffer <paramref name="slot"/> (0..3) with at least <paramref name="length"/> elements; contents are not kept when it grows.</summary>
    public Span<int> Ints(int slot, int length) => Grow(ref ints[slot], length).AsSpan(0, length);

    /// <summary>Uint buffer <paramref name="slot"/> (0..1) with at least <paramref name="length"/> elements.</summary>
    public Span<uint> Uints(int slot, int length) => Grow(ref uints[slot], length).AsSpan(0, length);

    private static T[] Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }

        return buffer;
    }
}
