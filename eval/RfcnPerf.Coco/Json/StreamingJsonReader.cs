using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over a file read in chunks, so memory stays proportional to the data kept,
/// not to the file (segmentation polygons of a 450 MB train2017 file are skipped without ever being held).
/// Every failure becomes a <see cref="CocoException"/> naming the file, the record being read
/// (<see cref="Section"/>[<see cref="Index"/>]) and, for malformed JSON, the line and byte.
/// Arrays of plain numbers (boxes, keypoints, polygons) and records made of them, most of a COCO file's bytes, take a
/// fast path: scanned straight from the buffer (<see cref="RawScanner"/>), and the reader moved past them. Such a move leaves
/// Utf8JsonReader's line and byte counters behind, so a malformed-JSON error met afterwards is located again by one
/// plain reading from the start (errors only; every other message names the record, not a position).
/// </summary>
internal ref struct StreamingJsonReader
{
    // 128 KiB: a refill costs a system call and one record read token by token (the fast paths need it whole), a few
    // hundred for a 50 MB file; a chunk that stays in the core's cache costs fewer page faults and less memory than
    // 1 MiB did (keypoints val2017: peak 50 -> 43 MiB, 300 fewer faults, time unchanged). Grown when one token is larger.
    private const int InitialBufferSize = 1 << 17;
    private const int MaxTokenTextInMessage = 40;

    private readonly Stream stream;
    private readonly bool fastPaths;

    /// <summary>Where the stream started (for locating an error again), or -1 when it cannot seek.</summary>
    private readonly long origin;
    private byte[] buffer;
    private int length;
    private bool isFinalBlock;
    private long totalRead;

    /// <summary>Where <see cref="reader"/>'s span starts in <see cref="buffer"/> (past a fast-read array).</summary>
    private int readerBase;

    /// <summary>A fast path moved the reader: its line and byte counters no longer match the file.</summary>
    private bool moved;
    private Utf8JsonReader reader;

    /// <param name="stream">The JSON.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="fastPaths">Read arrays of numbers straight from the buffer (false: every token through
    /// Utf8JsonReader, the reference behaviour the fast paths are tested against).</param>
    public StreamingJsonReader(Stream stream, string path, bool fastPaths = true)
    {
        this.stream = stream;
        this.fastPaths = fastPaths;
        origin = stream.CanSeek ? stream.Position : -1;
        readerBase = 0;
        moved = false;
        Path = path;
        buffer = LargeArray.Uninitialized<byte>(BufferSizeFor(stream));
        length = 0;
        isFinalBlock = false;
        totalRead = 0;
        Section = null;
        Index = -1;
        Fill(0);
        reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock, default);
    }

    /// <summary>The file, as the user named it (every message starts with it).</summary>
    public string Path { get; }

    /// <summary>The array being read ("annotations", "results"), for messages; null at top level.</summary>
    public string? Section { get; set; }

    /// <summary>Where the current token starts, in bytes from the start of the stream.</summary>
    public long TokenOffset => totalRead - length + readerBase + reader.TokenStartIndex;

    /// <summary>The 0-based record index inside <see cref="Section"/>, or -1.</summary>
    public int Index { get; set; }

    public JsonTokenType TokenType => reader.TokenType;

    /// <summary>Advances to the next token; false only at the end of the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        while (true)
        {
            bool ok;
            try
            {
                ok = reader.Read();
            }
            catch (JsonException ex)
            {
                throw Malformed(ex);
            }

            if (ok)
            {
                return true;
            }

            if (isFinalBlock)
            {
                return false;
            }

            Refill();
        }
    }

    /// <summary>Advances to the next token; a file that ends here is truncated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Next()
    {
        if (!Read())
        {
            throw Error("unexpected end of file (truncated JSON?)");
        }
    }

    /// <summary>Skips the current value (and everything inside it when it is an object or array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SkipValue()
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        if (reader.TokenType == JsonTokenType.StartArray && TryScan(out var scan) && scan.SkipNumbersToClose())
        {
            MovePast(scan.Position);
            return;
        }

        // TrySkip is the fast path when the whole value is in the buffer (it leaves the reader unchanged when
        // it is not); walking tokens works across refills.
        try
        {
            if (reader.TrySkip())
            {
                return;
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }

        int depth = reader.CurrentDepth;
        do
        {
            Next();
        }
        while (!(reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth));
    }

    public bool PropertyIs(ReadOnlySpan<byte> utf8Name) => reader.ValueTextEquals(utf8Name);

    public string GetPropertyName() => DecodeString() ?? throw Error("a property name is not valid UTF-8 text (or holds an invalid \\u escape)");

    /// <summary>The current string value; a non-string is an error naming <paramref name="field"/>.</summary>
    public string GetString(string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw FieldError(field, $"expected a string, found {Describe()}");
        }

        return DecodeString() ?? throw FieldError(field, "expected a string of valid UTF-8 text, found invalid bytes or an invalid \\u escape");
    }

    /// <summary>
    /// The current string's UTF-8 bytes with escapes resolved, in <paramref name="buffer"/> (grown as needed), without
    /// building a string; a non-string is an error naming <paramref name="field"/>.
    /// </summary>
    public ReadOnlySpan<byte> GetUtf8(string field, ref byte[] buffer)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw FieldError(field, $"expected a string, found {Describe()}");
        }

        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (buffer.Length < reader.ValueSpan.Length)
        {
            buffer = new byte[Math.Max(reader.ValueSpan.Length, buffer.Length * 2)];
        }

        try
        {
            return buffer.AsSpan(0, reader.CopyString(buffer));
        }
        catch (InvalidOperationException)
        {
            throw FieldError(field, "expected a string of valid UTF-8 text, found invalid bytes or an invalid \\u escape");
        }
    }

    /// <summary>
    /// The current string token as UTF-16, or null when it is not valid UTF-8 or holds an unpaired surrogate escape
    /// (Utf8JsonReader checks the structure while reading and the text only when it transcodes).
    /// </summary>
    private string? DecodeString()
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The current value as a finite double (JSON number only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double GetFiniteDouble(string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw FieldError(field, $"expected a finite number, found {Describe()}");
        }

        // The buffer is contiguous, so ValueSpan is the whole token; a number that overflows a double (1e999) is refused.
        ReadOnlySpan<byte> token = reader.ValueSpan;
        if (FastDouble.ParseJsonNumber(token, out double value) != token.Length)
        {
            throw FieldError(field, $"expected a finite number, found {Describe()}");
        }

        return value;
    }

    /// <summary>
    /// Appends the array at the current token to <paramref name="into"/> and returns how many numbers it held: finite
    /// numbers only, else an error naming <paramref name="field"/> and what was <paramref name="expected"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadNumbers(string field, string expected, GrowableArray<double> into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError(field, $"expected {expected}, found {Describe()}");
        }

        if (TryScan(out var scan) && scan.MaxNumbersToClose() is int bound and >= 0)
        {
            int n = scan.NumbersToClose(into.GetSpan(bound));
            if (n >= 0)
            {
                into.Advance(n);
                MovePast(scan.Position);
                return n;
            }
        }

        int from = into.Count;
        while (true)
        {
            Next();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return into.Count - from;
            }

            if (reader.TokenType != JsonTokenType.Number)
            {
                throw FieldError(field, $"expected {expected}, element {into.Count - from} is {Describe()}");
            }

            into.Add(GetFiniteDouble(field));
        }
    }

    /// <summary>
    /// The fast path alone, for arrays of a known small size (boxes): when the array at the current token is a plain
    /// list of at most <paramref name="into"/>.Length finite numbers, wholly in the buffer, writes them, moves past
    /// the array and returns how many; otherwise returns -1 and has consumed nothing (the caller reads it token by
    /// token, which finds the error if there is one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int TryReadNumbers(scoped Span<double> into)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !TryScan(out var scan))
        {
            return -1;
        }

        int n = scan.NumbersToClose(into);
        if (n >= 0)
        {
            MovePast(scan.Position);
        }

        return n;
    }

    /// <summary>
    /// The current value as an integer id. Python compares 3.0 == 3 when it looks ids up in a dict, so an
    /// integral float is accepted; anything else is an error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long GetInt64(string field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out long value))
            {
                return value;
            }

            if (reader.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
            {
                return (long)d;
            }
        }

        throw FieldError(field, $"expected an integer, found {Describe()}");
    }

    /// <summary>A short description of the current token for messages: its kind and, for scalars, its text.</summary>
    public string Describe()
    {
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.Null => "null",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.String => DecodeString() is { } text ? "the string \"" + Shorten(text) + "\"" : "a string that is not valid UTF-8",
            JsonTokenType.Number => Shorten(Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => reader.TokenType.ToString(),
        };
    }

    /// <summary>An error at the current record: "<c>file: section[index]: message</c>".</summary>
    public CocoException Error(string message) => new($"{Path}: {Where()}{message}");

    /// <summary>An error about one field of the current record: "<c>file: section[index].field: message</c>".</summary>
    public CocoException FieldError(string field, string message)
    {
        string where = Section is null ? field : Index >= 0 ? $"{Section}[{Index}].{field}" : $"{Section}.{field}";
        return new CocoException($"{Path}: {where}: {message}");
    }

    /// <summary>
    /// Advances to the next element of the array being read: false at its end; otherwise the element must be
    /// an object (else an error naming <paramref name="what"/>) and <see cref="Index"/> becomes
    /// <paramref name="index"/>, so field errors name the record. Errors before the element keep no index.
    /// </summary>
    public bool NextObjectInArray(int index, string what)
    {
        Index = -1;
        Next();
        if (TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        Index = index;
        if (TokenType != JsonTokenType.StartObject)
        {
            ThrowExpected(what);
        }

        return true;
    }

    [DoesNotReturn]
    public void ThrowExpected(string what) => throw Error($"expected {what}, found {Describe()}");

    /// <summary>
    /// At a '[' or '{' token, with the fast paths on: a scanner over the bytes that follow it in the buffer (see
    /// <see cref="RawScanner"/>); false otherwise.
    /// </summary>
    public bool TryScan(out RawScanner scanner)
    {
        if (!fastPaths || reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            scanner = default;
            return false;
        }

        int start = readerBase + (int)reader.BytesConsumed;
        scanner = new RawScanner(buffer.AsSpan(start, length - start));
        return true;
    }

    /// <summary>
    /// Moves the reader past what a <see cref="TryScan"/> scanner read: <paramref name="scanned"/> (its Position) must be
    /// at the ']' or '}' that closes the current array or object, which the reader then reads.
    /// </summary>
    public void SkipScanned(int scanned) => MovePast(scanned);

    /// <summary>The offset in the stream of the byte at <paramref name="scanned"/> in a <see cref="TryScan"/> scanner.</summary>
    public readonly long OffsetOfScanned(int scanned) => totalRead - length + readerBase + reader.BytesConsumed + scanned;

    /// <summary>
    /// Moves the reader to the ']' or '}' <paramref name="scanned"/> bytes after the current '[' or '{' and reads it:
    /// the reader resumes from the state it had at the opening token, so to it the value was empty.
    /// </summary>
    private void MovePast(int scanned)
    {
        int close = readerBase + (int)reader.BytesConsumed + scanned;
        var state = reader.CurrentState;
        readerBase = close;
        reader = new Utf8JsonReader(buffer.AsSpan(close, length - close), isFinalBlock, state);
        moved = true;
        Next();
    }

    private string Where() =>
        Section is null ? string.Empty : Index >= 0 ? $"{Section}[{Index}]: " : $"{Section}: ";

    private static string Shorten(string text) =>
        text.Length <= MaxTokenTextInMessage ? text : string.Concat(text.AsSpan(0, MaxTokenTextInMessage), "...");

    private void Refill()
    {
        int consumed = readerBase + (int)reader.BytesConsumed;
        int remaining = length - consumed;
        if (remaining == buffer.Length)
        {
            // One token is larger than the whole buffer: grow instead of shifting.
            Array.Resize(ref buffer, checked(buffer.Length * 2));
        }
        else if (consumed > 0)
        {
            Buffer.BlockCopy(buffer, consumed, buffer, 0, remaining);
        }

        Fill(remaining);
        readerBase = 0;
        reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock, reader.CurrentState);
    }

    /// <summary>A file smaller than the buffer gets a buffer its size (+1 to see the end in one read), not a whole chunk.</summary>
    private static int BufferSizeFor(Stream stream) =>
        stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position + 1, 4096, InitialBufferSize) : InitialBufferSize;

    private void Fill(int start)
    {
        length = start;
        while (length < buffer.Length)
        {
            int n = stream.Read(buffer, length, buffer.Length - length);
            if (n == 0)
            {
                isFinalBlock = true;
                return;
            }

            length += n;
            totalRead += n;
        }
    }

    /// <summary>
    /// Error path only: whether the whole file reads without error when more data could still follow, i.e. it
    /// is the beginning of valid JSON that was cut off. (The failed reader's own state cannot be trusted.)
    /// </summary>
    private static bool IsValidPrefix(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return false;
        }

        stream.Position = 0;
        var chunk = new byte[BufferSizeFor(stream)];
        var state = default(JsonReaderState);
        int kept = 0;
        try
        {
            while (true)
            {
                int n = stream.Read(chunk, kept, chunk.Length - kept);
                if (n == 0)
                {
                    return true;
                }

                var probe = new Utf8JsonReader(chunk.AsSpan(0, kept + n), isFinalBlock: false, state);
                while (probe.Read())
                {
                }

                state = probe.CurrentState;
                int consumed = (int)probe.BytesConsumed;
                kept = kept + n - consumed;
                if (kept == chunk.Length)
                {
                    Array.Resize(ref chunk, chunk.Length * 2);
                }
                else
                {
                    Buffer.BlockCopy(chunk, consumed, chunk, 0, kept);
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Error path only, after a fast path moved the reader: the same stream read again from its start, token by token,
    /// to the first malformed JSON (the one just met: the fast paths accept only valid JSON), for its true line and
    /// byte; the message keeps this reader's record.
    /// </summary>
    private readonly CocoException? LocateAgain()
    {
        stream.Position = origin;
        var again = new StreamingJsonReader(stream, Path, fastPaths: false) { Section = Section, Index = Index };
        try
        {
            while (again.Read())
            {
            }
        }
        catch (CocoException located)
        {
            return located;
        }

        return null;
    }

    private CocoException Malformed(JsonException ex)
    {
        if (moved && origin >= 0 && LocateAgain() is { } located)
        {
            return located;
        }

        // Python's json writes NaN and Infinity as bare words, which are not JSON: say so plainly.
        string hint = string.Empty;
        int consumed = readerBase + (int)reader.BytesConsumed;
        ReadOnlySpan<byte> rest = buffer.AsSpan(consumed, length - consumed);
        rest = rest.TrimStart(" \t\r\n,:"u8);
        if (rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8))
        {
            hint = " (NaN and Infinity are not valid JSON numbers; every number must be finite)";
        }

        if (isFinalBlock && totalRead == 0)
        {
            return new CocoException($"{Path}: the file is empty (expected JSON)", ex);
        }

        if (isFinalBlock && IsValidPrefix(stream))
        {
            hint = " (the file ends before the JSON is complete: truncated?)";
        }

        string line = ex.LineNumber is long l ? (l + 1).ToString(CultureInfo.InvariantCulture) : "?";
        string column = ex.BytePositionInLine is long b ? (b + 1).ToString(CultureInfo.InvariantCulture) : "?";
        string detail = ex.Message;
        int cut = detail.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            detail = detail[..cut];
        }

        return new CocoException($"{Path}: {Where()}malformed JSON at line {line}, byte {column}: {detail}{hint}", ex);
    }
}
