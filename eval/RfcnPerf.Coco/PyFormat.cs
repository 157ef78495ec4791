using System.Globalization;
using System.Numerics;
using System.Text;

namespace RfcnPerf.Coco;

/// <summary>
/// Python's <c>'{:0.Nf}'.format(x)</c>: the exact binary value rounded half-to-even. .NET's "F3" rounds a tie
/// away from zero, so 0.0625 (an AP of 1/16) would print 0.063 where pycocotools prints 0.062.
/// </summary>
internal static class PyFormat
{
    public static string Fixed(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        bool negative = double.IsNegative(value);
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponentBits = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        int exponent;
        if (exponentBits == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1L << 52;
            exponent = exponentBits - 1075;
        }

        // |value| * 10^decimals = mantissa * 10^decimals * 2^exponent, rounded half-to-even to an integer.
        BigInteger scaled = mantissa * BigInteger.Pow(10, decimals);
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = scaled << exponent;
        }
        else
        {
            BigInteger denominator = BigInteger.One << -exponent;
            rounded = BigInteger.DivRem(scaled, denominator, out BigInteger remainder);
            int cmp = (remainder * 2).CompareTo(denominator);
            if (cmp > 0 || (cmp == 0 && !rounded.IsEven))
            {
                rounded += 1;
            }
        }

        string digits = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        var sb = new StringBuilder(digits.Length + 2);
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(digits, 0, digits.Length - decimals);
        if (decimals > 0)
        {
            sb.Append('.').Append(digits, digits.Length - decimals, decimals);
        }

        return sb.ToString();
    }
}
