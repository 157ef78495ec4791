using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// A forward scan over the bytes that follow a '[' or '{' token in a <see cref="StreamingJsonReader"/>'s buffer: the
/// fast paths for what most of a COCO file is made of (arrays of numbers, and records of plain keys, numbers and number
/// arrays). It accepts only a narrow subset of valid JSON and answers false on anything else (a string value, an
/// escape in a key, nesting, a malformed or non-finite number, the end of the buffer): the caller then reads the same
/// bytes token by token, which reports whatever is wrong exactly as it always did. Nothing a scan read counts until
/// the caller moves the reader past it (<see cref="StreamingJsonReader.SkipScanned"/>).
/// </summary>
internal ref struct RawScanner
{
    /// <summary>Array nesting a skip follows (polygon lists are 2 deep); deeper arrays take the general path.</summary>
    private const int MaxSkipDepth = 4;

    /// <summary>Integer digits that always fit a long (19 may not).</summary>
    private const int MaxIntegerDigits = 18;

    private readonly ReadOnlySpan<byte> s;

    /// <param name="bytes">The bytes after the opening token, to the end of what the reader holds.</param>
    public RawScanner(ReadOnlySpan<byte> bytes)
    {
        s = bytes;
        Position = 0;
    }

    /// <summary>How many bytes were scanned (at the closing ']' or '}' when a value or record is done).</summary>
    public int Position { get; private set; }

    /// <summary>
    /// An array body of plain numbers up to its ']' (Position at it), into <paramref name="into"/>: the count, or -1
    /// (empty slots, a trailing comma, a non-number, a number that is not finite as a double, more numbers than fit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int NumbersToClose(scoped Span<double> into)
    {
        SkipWhiteSpace();
        if (Position < s.Length && s[Position] == (byte)']')
        {
            return 0;
        }

        int n = 0;
        while (true)
        {
            if (n == into.Length || !TryNumber(out into[n]))
            {
                return -1;
            }

            n++;
            SkipWhiteSpace();
            if (Position == s.Length)
            {
                return -1;
            }

            if (s[Position] == (byte)']')
            {
                return n;
            }

            if (s[Position] != (byte)',')
            {
                return -1;
            }

            Position++;
            SkipWhiteSpace();
        }
    }

    /// <summary>An upper bound on the numbers before the next ']' (each takes a byte and, but the last, a comma); -1 when there is no ']'.</summary>
    public readonly int MaxNumbersToClose()
    {
        int close = s[Position..].IndexOf((byte)']');
        return close < 0 ? -1 : (close + 1) / 2;
    }

    /// <summary>A whole array value <c>[...]</c> of plain numbers into <paramref name="into"/> (Position after its ']'); -1 as for <see cref="NumbersToClose"/>.</summary>
    public int NumberArray(scoped Span<double> into)
    {
        SkipWhiteSpace();
        if (Position == s.Length || s[Position] != (byte)'[')
        {
            return -1;
        }

        Position++;
        int n = NumbersToClose(into);
        if (n >= 0)
        {
            Position++;
        }

        return n;
    }

    /// <summary>A whole array value of plain numbers appended to <paramref name="into"/> (Position after its ']'): the count, or -1 (then the column's count is unchanged).</summary>
    public int NumberArray(GrowableArray<double> into)
    {
        SkipWhiteSpace();
        if (Position == s.Length || s[Position] != (byte)'[')
        {
            return -1;
        }

        Position++;
        int bound = MaxNumbersToClose();
        int n = bound < 0 ? -1 : NumbersToClose(into.GetSpan(bound));
        if (n >= 0)
        {
            into.Advance(n);
            Position++;
        }

        return n;
    }

    /// <summary>
    /// Skips the rest of an array whose '[' was read, up to its ']' (Position at it), when it holds only numbers and
    /// arrays of numbers. JSON's grammar is checked as Utf8JsonReader checks it; the numbers are not converted
    /// (neither does a token skip).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool SkipNumbersToClose()
    {
        int depth = 1;
        bool expectValue = true, mayClose = true; // after '[': a value or ']'; after ',': a value only
        while (true)
        {
            SkipWhiteSpace();
            if (Position == s.Length)
            {
                return false;
            }

            byte c = s[Position];
            if (expectValue && !(c == (byte)']' && mayClose))
            {
                if (c == (byte)'[')
                {
                    if (++depth > MaxSkipDepth)
                    {
                        return false;
                    }

                    Position++;
                    mayClose = true;
                    continue;
                }

                // A number too large for a double (1e999) is valid JSON, but rare enough to leave to the reader.
                int length = FastDouble.ParseJsonNumber(s[Position..], out _);
                if (length == 0)
                {
                    return false;
                }

                Position += length;
                expectValue = false;
                continue;
            }

            if (!expectValue && c == (byte)',')
            {
                Position++;
                expectValue = true;
                mayClose = false;
                continue;
            }

            if (c != (byte)']')
            {
                return false;
            }

            if (--depth == 0)
            {
                return true;
            }

            Position++;
            expectValue = false;
        }
    }

    /// <summary>Skips a value that is a number or an array of numbers (nested arrays too); Position after it.</summary>
    public bool SkipNumbersValue()
    {
        SkipWhiteSpace();
        if (Position < s.Length && s[Position] == (byte)'[')
        {
            Position++;
            if (!SkipNumbersToClose())
            {
                return false;
            }

            Position++;
            return true;
        }

        int length = FastDouble.ParseJsonNumber(s[Position..], out _);
        Position += length;
        return length > 0;
    }

    /// <summary>A finite number (Position after it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryNumber(out double value)
    {
        SkipWhiteSpace();
        int length = FastDouble.ParseJsonNumber(s[Position..], out value);
        Position += length;
        return length > 0;
    }

    /// <summary>
    /// A plain JSON integer of at most <see cref="MaxIntegerDigits"/> digits (Position after it). Anything else, 3.0
    /// or 1e3 included, is left to the reader's integer rules.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryInteger(out long value)
    {
        SkipWhiteSpace();
        value = 0;
        int i = Position;
        bool negative = i < s.Length && s[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        int first = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        int digits = i - first;
        if (digits == 0 || digits > MaxIntegerDigits || (digits > 1 && s[first] == (byte)'0')
            || (i < s.Length && (s[i] == (byte)'.' || (s[i] | 0x20) == (byte)'e')))
        {
            return false;
        }

        value = negative ? -value : value;
        Position = i;
        return true;
    }

    /// <summary>
    /// The next member's key of a record (after '{' or ','), then its ':' (Position at the value): printable ASCII
    /// without escapes only, as the keys a reader compares against are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryKey(out ReadOnlySpan<byte> key)
    {
        key = default;
        SkipWhiteSpace();
        if (Position == s.Length || s[Position] != (byte)'"')
        {
            return false;
        }

        int from = Position + 1;
        int i = from;
        while (i < s.Length && s[i] is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
        {
            i++;
        }

        if (i == s.Length || s[i] != (byte)'"')
        {
            return false;
        }

        key = s[from..i];
        Position = i + 1;
        SkipWhiteSpace();
        if (Position == s.Length || s[Position] != (byte)':')
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>Whether the record ends here: '}' (Position at it). False after skipping white space otherwise.</summary>
    public bool AtRecordEnd()
    {
        SkipWhiteSpace();
        return Position < s.Length && s[Position] == (byte)'}';
    }

    /// <summary>After a member's value: 1 when a ',' and another member follow, 0 at the record's '}' (Position at it), -1 otherwise.</summary>
    public int NextMember()
    {
        SkipWhiteSpace();
        if (Position == s.Length)
        {
            return -1;
        }

        if (s[Position] == (byte)',')
        {
            Position++;
            return 1;
        }

        return s[Position] == (byte)'}' ? 0 : -1;
    }

    /// <summary>After a member's value: true, with <paramref name="more"/> when a ',' and another member follow; false otherwise.</summary>
    public bool AfterMember(out bool more)
    {
        int next = NextMember();
        more = next > 0;
        return next >= 0;
    }

    /// <summary>
    /// After a record's '}' (Position at it): when a ',' and the next record's '{' follow, Position just after that '{'
    /// and true; otherwise false and Position unchanged.
    /// </summary>
    public bool NextRecord()
    {
        int at = Position;
        Position++;
        SkipWhiteSpace();
        if (Position < s.Length && s[Position] == (byte)',')
        {
            Position++;
            SkipWhiteSpace();
            if (Position < s.Length && s[Position] == (byte)'{')
            {
                Position++;
                return true;
            }
        }

        Position = at;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipWhiteSpace()
    {
        int i = Position;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        Position = i;
    }
}
