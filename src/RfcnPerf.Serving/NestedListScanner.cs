using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving;

/// <summary>
/// The fast path for the recipe client's payload, a uint8 HxWx3 nested list (<c>[[[r,g,b],...],...]</c>): a byte
/// scanner over the UTF-8 body that writes the channels straight into a pooled RGB buffer (no tokens, no
/// per-number allocation; about five reader tokens per pixel cost ten times more). It accepts exactly the JSON
/// the general reader accepts as a uint8 image (digits only, no leading zero, at most 255, any JSON whitespace
/// between tokens, equal rows, at most the pixel limit) and gives up on anything else (a fraction, a sign, 256,
/// a ragged row, an empty list, broken JSON), leaving <see cref="ImageJson"/>'s reader to parse it again and name
/// the error: every refusal keeps today's 400 message.
/// </summary>
internal static class NestedListScanner
{
    /// <summary>First buffer: a 640x480 RGB image fits (921,600 bytes); larger images double it.</summary>
    private const int InitialBytes = 1 << 20;

    /// <summary>
    /// Scans the image whose opening bracket is at <paramref name="s"/>[<paramref name="start"/>]; on success
    /// returns it and the index of its closing bracket in <paramref name="end"/>, else null (nothing consumed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // One call per image runs millions of iterations: skip tier-0/OSR code.
    public static DecodedImage? TryScan(ReadOnlySpan<byte> s, int start, long maxPixels, string where, out int end)
    {
        end = 0;
        if ((uint)start >= (uint)s.Length || s[start] != '[')
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
        try
        {
            var p = start + 1;
            int length = 0, width = -1, height = 0;
            while (true)
            {
                // A row: '[' pixel (',' pixel)* ']'
                if (!Expect(s, ref p, (byte)'['))
                {
                    return null;
                }

                var pixels = 0;
                while (true)
                {
                    if (buffer.Length - length < 3)
                    {
                        if ((long)(height + 1) * Math.Max(width, pixels + 1) > maxPixels)
                        {
                            return null;
                        }

                        buffer = Grow(buffer, length);
                    }

                    if (s.Length - p >= Vector128<byte>.Count && BitConverter.IsLittleEndian
                        && CompactPixel(ref Unsafe.Add(ref MemoryMarshal.GetReference(s), p), out var rgb, out var size))
                    {
                        buffer[length] = (byte)rgb;
                        buffer[length + 1] = (byte)(rgb >> 8);
                        buffer[length + 2] = (byte)(rgb >> 16);
                        p += size;
                    }
                    else if (!Expect(s, ref p, (byte)'[')
                        || !Channel(s, ref p, out buffer[length]) || !Expect(s, ref p, (byte)',')
                        || !Channel(s, ref p, out buffer[length + 1]) || !Expect(s, ref p, (byte)',')
                        || !Channel(s, ref p, out buffer[length + 2]) || !Expect(s, ref p, (byte)']'))
                    {
                        return null;
                    }

                    length += 3;
                    pixels++;
                    if (!Next(s, ref p, out var more))
                    {
                        return null;
                    }

                    if (!more)
                    {
                        break;
                    }
                }

                if ((width >= 0 && pixels != width) || (long)(height + 1) * pixels > maxPixels)
                {
                    return null;
                }

                width = pixels;
                height++;
                if (!Next(s, ref p, out var moreRows))
                {
                    return null;
                }

                if (!moreRows)
                {
                    end = p - 1;
                    return DecodedImage.FromRgb(buffer.AsSpan(0, length), width, height, where);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The common case, a pixel written without whitespace (<c>[r,g,b]</c>, 7 to 13 bytes) at <paramref name="at"/>,
    /// with at least 16 readable bytes there and one before it (the list's bracket or comma): one vector compare
    /// finds the digits, their runs give the three numbers. False (nothing consumed) for anything else, which the
    /// byte-by-byte path then reads or refuses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CompactPixel(ref byte at, out uint rgb, out int size)
    {
        rgb = 0;
        size = 0;
        var digits = Vector128.LessThan(Vector128.LoadUnsafe(ref at) - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits();
        var notDigits = ~digits;
        var l1 = BitOperations.TrailingZeroCount(notDigits >> 1);
        var i2 = l1 + 2;
        var l2 = BitOperations.TrailingZeroCount(notDigits >> i2);
        var i3 = i2 + l2 + 1;
        var l3 = BitOperations.TrailingZeroCount(notDigits >> i3);
        var close = i3 + l3;
        if (at != '[' || (uint)(l1 - 1) > 2 || (uint)(l2 - 1) > 2 || (uint)(l3 - 1) > 2
            || Unsafe.Add(ref at, i2 - 1) != ',' || Unsafe.Add(ref at, i3 - 1) != ',' || Unsafe.Add(ref at, close) != ']')
        {
            return false;
        }

        var r = Number(ref at, 1, l1);
        var g = Number(ref at, i2, l2);
        var b = Number(ref at, i3, l3);

        // More than 255 (or a leading zero, flagged as 256 by Number) is the reader's to refuse.
        if ((r | g | b) > 255)
        {
            return false;
        }

        rgb = r | (g << 8) | (b << 16);
        size = close + 1;
        return true;
    }

    /// <summary>
    /// The value of the <paramref name="length"/> (1 to 3) digits at <paramref name="index"/>: the three bytes ending
    /// on the last digit are read as one little-endian word, the ones before the number masked off, and the
    /// digits combined as hundreds, tens and units. A leading zero ("01") gives 256 so the caller refuses it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Number(ref byte at, int index, int length)
    {
        var word = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, index + length - 3));
        var shift = 8 * (3 - length);
        var mask = (0xFFFFFFu >> shift) << shift;
        var d = (word & mask) - (0x303030u & mask);
        var value = ((d & 0xFF) * 100) + (((d >> 8) & 0xFF) * 10) + ((d >> 16) & 0xFF);
        return length > 1 && Unsafe.Add(ref at, index) == '0' ? 256 : value;
    }

    /// <summary>Consumes optional whitespace and <paramref name="c"/>; false when something else comes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Expect(ReadOnlySpan<byte> s, ref int p, byte c)
    {
        if ((uint)p < (uint)s.Length && s[p] == c)
        {
            p++;
            return true;
        }

        return ExpectAfterWhitespace(s, ref p, c);
    }

    private static bool ExpectAfterWhitespace(ReadOnlySpan<byte> s, ref int p, byte c)
    {
        var q = SkipWhitespace(s, p);
        if ((uint)q < (uint)s.Length && s[q] == c)
        {
            p = q + 1;
            return true;
        }

        return false;
    }

    /// <summary>After an element: ',' (more follow, true) or ']' (the list ends, false); anything else fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Next(ReadOnlySpan<byte> s, ref int p, out bool more)
    {
        var q = p;
        if ((uint)q < (uint)s.Length && s[q] is not ((byte)',' or (byte)']'))
        {
            q = SkipWhitespace(s, q);
        }

        if ((uint)q >= (uint)s.Length || s[q] is not ((byte)',' or (byte)']'))
        {
            more = false;
            return false;
        }

        more = s[q] == ',';
        p = q + 1;
        return true;
    }

    /// <summary>
    /// A uint8 JSON number after optional whitespace: 1 to 3 digits, no leading zero, at most 255, not followed by a
    /// digit (a fraction or exponent is the reader's to refuse).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Channel(ReadOnlySpan<byte> s, ref int p, out byte value)
    {
        value = 0;
        var q = p;
        if ((uint)q >= (uint)s.Length)
        {
            return false;
        }

        var d = (uint)(s[q] - '0');
        if (d > 9)
        {
            q = SkipWhitespace(s, q);
            if ((uint)q >= (uint)s.Length || (d = (uint)(s[q] - '0')) > 9)
            {
                return false;
            }
        }

        var v = d;
        q++;
        for (var digits = 1; (uint)q < (uint)s.Length; digits++)
        {
            d = (uint)(s[q] - '0');
            if (d > 9)
            {
                // Valid JSON has whitespace, ',' or ']' here; a '.', 'e' or anything else fails the caller's next Expect.
                break;
            }

            // A leading zero ("01") is invalid JSON; a fourth digit is never a uint8.
            if (v == 0 || digits == 3)
            {
                return false;
            }

            v = (v * 10) + d;
            q++;
        }

        if (v > 255)
        {
            return false;
        }

        value = (byte)v;
        p = q;
        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int p)
    {
        while ((uint)p < (uint)s.Length && s[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            p++;
        }

        return p;
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
