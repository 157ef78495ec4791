using System.Globalization;
using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Clinger's fast path for the numbers COCO files are made of (coordinates such as 123.45, scores such as 0.98765):
/// when the decimal digits form an integer m &lt;= 2^53 and the decimal exponent e satisfies |e| &lt;= 22, both m and
/// 10^|e| are exact doubles, so the one IEEE multiplication or division m * 10^e, m / 10^-e is the correctly rounded
/// value: the same double as any correct parser (System.Text.Json's included), at a fraction of the cost. Anything
/// else (more than 19 digits, m &gt; 2^53, a larger exponent) is left to the general parser.
/// </summary>
internal static class FastDouble
{
    private const ulong MaxExactInteger = 1UL << 53;
    private const int MaxExactPowerOf10 = 22;

    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a JSON number token (already validated by the reader) when the fast path is exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ReadOnlySpan<byte> number, out double value)
    {
        int i = 0;
        bool negative = number.Length > 0 && number[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        ulong m = 0;
        int significant = 0, exponent = 0;
        bool fraction = false;
        for (; i < number.Length; i++)
        {
            uint digit = (uint)(number[i] - '0');
            if (digit <= 9)
            {
                // 19 significant digits always fit in a ulong; more are left to the general parser.
                if (m != 0 || digit != 0)
                {
                    if (++significant > 19)
                    {
                        value = 0;
                        return false;
                    }
                }

                m = (m * 10) + digit;
                if (fraction)
                {
                    exponent--;
                }
            }
            else if (number[i] == (byte)'.')
            {
                fraction = true;
            }
            else
            {
                // 'e' or 'E': the JSON grammar leaves [+-]digits after it.
                if (!TryExponent(number[(i + 1)..], out int e))
                {
                    value = 0;
                    return false;
                }

                exponent += e;
                break;
            }
        }

        if (m > MaxExactInteger || exponent < -MaxExactPowerOf10 || exponent > MaxExactPowerOf10)
        {
            value = 0;
            return false;
        }

        double v = exponent >= 0 ? m * PowersOf10[exponent] : m / PowersOf10[-exponent];
        value = negative ? -v : v;
        return true;
    }

    /// <summary>
    /// The length of the JSON number at the start of <paramref name="s"/> (RFC 8259: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>,
    /// the longest such prefix), or 0 when it does not start with one. The reader's fast paths use it to accept
    /// exactly what Utf8JsonReader accepts: whatever follows the prefix is the caller's to check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanJsonNumber(ReadOnlySpan<byte> s)
    {
        int i = 0;
        if (i < s.Length && s[i] == (byte)'-')
        {
            i++;
        }

        if (i >= s.Length)
        {
            return 0;
        }

        if (s[i] == (byte)'0')
        {
            i++;
        }
        else if ((uint)(s[i] - '1') <= 8)
        {
            i = SkipDigits(s, i + 1);
        }
        else
        {
            return 0;
        }

        if (i < s.Length && s[i] == (byte)'.')
        {
            int fraction = SkipDigits(s, i + 1);
            if (fraction == i + 1)
            {
                return 0;
            }

            i = fraction;
        }

        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            int e = i + 1;
            if (e < s.Length && (s[e] == (byte)'+' || s[e] == (byte)'-'))
            {
                e++;
            }

            int digits = SkipDigits(s, e);
            if (digits == e)
            {
                return 0;
            }

            i = digits;
        }

        return i;
    }

    /// <summary>
    /// A JSON number token (already checked by <see cref="ScanJsonNumber"/> or the reader) as a finite double: the
    /// fast path when it is exact, else the general (correctly rounded) parser; false when it overflows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseFinite(ReadOnlySpan<byte> number, out double value)
    {
        if (TryParse(number, out value))
        {
            return true;
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static int SkipDigits(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }

    private static bool TryExponent(ReadOnlySpan<byte> s, out int e)
    {
        e = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+'))
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }

        for (; i < s.Length; i++)
        {
            e = (e * 10) + (s[i] - '0');
            if (e > 1000)
            {
                return false;
            }
        }

        e = negative ? -e : e;
        return true;
    }
}
