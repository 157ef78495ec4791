using System.Globalization;
using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Clinger's fast path for the numbers COCO files are made of (coordinates such as 123.45, scores such as 0.98765):
/// when the decimal digits form an integer m &lt;= 2^53 and the decimal exponent e satisfies |e| &lt;= 22, both m and
/// 10^|e| are exact doubles, so the one IEEE multiplication or division m * 10^e, m / 10^-e is the correctly rounded
/// value: the same double as any correct parser (System.Text.Json's included), at a fraction of the cost. Anything
/// else (more than 19 digits, m &gt; 2^53, a larger exponent) is left to the general parser, on the same bytes.
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

    /// <summary>
    /// The JSON number at the start of <paramref name="s"/> (RFC 8259: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>,
    /// the longest such prefix) as a finite double, in one pass: its length, or 0 when <paramref name="s"/> does not
    /// start with one or it overflows a double. The value is the fast path's when that is exact (see the class), else
    /// the general, correctly rounded parser's on the same bytes: either way the reader's own double. What follows the
    /// prefix is the caller's to check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ParseJsonNumber(ReadOnlySpan<byte> s, out double value)
    {
        int i = 0;
        bool negative = s.Length > 0 && s[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        ulong m = 0;
        int significant = 0, exponent = 0;
        bool exact = true;
        uint digit;
        if (i < s.Length && s[i] == (byte)'0')
        {
            i++;
        }
        else if (i < s.Length && (digit = (uint)(s[i] - '1')) <= 8)
        {
            m = digit + 1;
            significant = 1;
            for (i++; i < s.Length && (digit = (uint)(s[i] - '0')) <= 9; i++)
            {
                // 19 significant digits always fit in a ulong; more are left to the general parser.
                exact &= ++significant <= 19;
                m = (m * 10) + digit;
            }
        }
        else
        {
            value = 0;
            return 0;
        }

        if (i < s.Length && s[i] == (byte)'.')
        {
            int fraction = ++i;
            for (; i < s.Length && (digit = (uint)(s[i] - '0')) <= 9; i++)
            {
                if (m != 0 || digit != 0)
                {
                    exact &= ++significant <= 19;
                }

                m = (m * 10) + digit;
                exponent--;
            }

            if (i == fraction)
            {
                value = 0;
                return 0;
            }
        }

        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            int e = 0, at = i + 1;
            bool negativeExponent = false;
            if (at < s.Length && (s[at] == (byte)'+' || s[at] == (byte)'-'))
            {
                negativeExponent = s[at] == (byte)'-';
                at++;
            }

            int digits = at;
            for (; at < s.Length && (digit = (uint)(s[at] - '0')) <= 9; at++)
            {
                e = Math.Min((e * 10) + (int)digit, 100_000); // beyond any double's exponent either way
            }

            if (at == digits)
            {
                value = 0;
                return 0;
            }

            exponent += negativeExponent ? -e : e;
            i = at;
        }

        if (exact && m <= MaxExactInteger && exponent >= -MaxExactPowerOf10 && exponent <= MaxExactPowerOf10)
        {
            double v = exponent >= 0 ? m * PowersOf10[exponent] : m / PowersOf10[-exponent];
            value = negative ? -v : v;
            return i;
        }

        return double.TryParse(s[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) ? i : 0;
    }
}
