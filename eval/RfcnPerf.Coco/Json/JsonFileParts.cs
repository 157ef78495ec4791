using System.Runtime.ExceptionServices;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Cuts a JSON file for reading on several threads: where one record of a large array ends and the next begins
/// (<c>}</c> <c>,</c> <c>{</c>, white space allowed), near equal fractions of the file. Each part is then read from
/// its cut by a reader of its own, behind a prefix that reopens the array. A cut is only a guess (those bytes could
/// sit inside a string or a nested array): a reader that started at the true beginning stops exactly at the next
/// cut only when the cut is a record boundary, and only then is the next part's reading used (see
/// <see cref="ParallelResults"/>).
/// </summary>
internal static class JsonFileParts
{
    /// <summary>Below this many bytes per part, one thread reads the file (a thread and a buffer cost more).</summary>
    public const long MinPartBytes = 1 << 20;

    /// <summary>How far from a fraction of the file a cut is looked for.</summary>
    private const int WindowBytes = 1 << 16;

    /// <summary>How many parts a file of <paramref name="length"/> bytes is read in with up to <paramref name="threads"/> threads.</summary>
    public static int PartsFor(long length, int threads, long minPartBytes = MinPartBytes) => (int)Math.Max(1, Math.Min(threads, length / Math.Max(1, minPartBytes)));

    /// <summary>Up to <paramref name="parts"/> - 1 cuts, ascending: offsets of a record's opening brace.</summary>
    public static List<long> Cuts(FileStream file, int parts)
    {
        var cuts = new List<long>();
        long length = file.Length;
        var window = GC.AllocateUninitializedArray<byte>(WindowBytes);
        for (int i = 1; i < parts; i++)
        {
            long target = length * i / parts;
            if (cuts.Count > 0 && target <= cuts[^1])
            {
                continue;
            }

            file.Position = target;
            int n = file.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
            int at = FindRecordStart(window.AsSpan(0, n));
            if (at >= 0)
            {
                cuts.Add(target + at);
            }
        }

        file.Position = 0;
        return cuts;
    }

    /// <summary>
    /// Reads a file in parts on up to <paramref name="threads"/> threads: the first part from the file's beginning,
    /// each later one from its cut behind <paramref name="prefix"/>, each stopping before the record at the next cut.
    /// </summary>
    /// <typeparam name="T">What one part's reading fills.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="minPartBytes">Smallest part worth a thread.</param>
    /// <param name="threads">Threads that read parts at once.</param>
    /// <param name="prefix">What a later part's reader reads before the bytes at its cut (reopens the array).</param>
    /// <param name="create">A part's target, given its size in bytes and whether it is the first part.</param>
    /// <param name="read">Reads a stream into a target, stopping before the record at the given stream offset; true
    /// when it stopped there, false when it read on to the end of the file.</param>
    /// <returns>The parts that count, in file order (the last one read on to the end); null when the file must be read
    /// again by one reader (a part began at a false cut, or a later part failed and its message would be wrong). The
    /// first part's error is thrown as it is: it is one reader's error.</returns>
    public static List<T>? Read<T>(string path, long minPartBytes, int threads, ReadOnlySpan<byte> prefix, Func<long, bool, T> create, Func<Stream, T, long, bool> read)
    {
        List<long> cuts;
        long length;
        using (var file = CocoFiles.OpenRead(path))
        {
            length = file.Length;
            int parts = PartsFor(length, threads, minPartBytes);
            cuts = parts > 1 ? Cuts(file, parts) : [];
            if (cuts.Count == 0)
            {
                var whole = create(length, true);
                read(file, whole, long.MaxValue);
                return [whole];
            }
        }

        int count = cuts.Count + 1;
        var targets = new T[count];
        var stopped = new bool[count];
        var failures = new Exception?[count];
        byte[] head = prefix.ToArray();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            long from = i == 0 ? 0 : cuts[i - 1];
            targets[i] = create((i < cuts.Count ? cuts[i] : length) - from, i == 0);

            // A later part's stream starts with the prefix, so its offsets are larger by the prefix's length.
            long stopAt = i < cuts.Count ? cuts[i] - from + (i == 0 ? 0 : head.Length) : long.MaxValue;
            try
            {
                using var stream = i == 0 ? CocoFiles.OpenRead(path) : Part(path, from, head);
                stopped[i] = read(stream, targets[i], stopAt);
            }
            catch (Exception ex) when (ex is CocoException or IOException)
            {
                failures[i] = ex;
            }
        });

        if (failures[0] is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        var used = new List<T>();
        for (int i = 0; i < count; i++)
        {
            used.Add(targets[i]);
            if (!stopped[i])
            {
                // This part read on to the end of the file: the parts after it are not needed.
                return used;
            }

            if (i + 1 == count || failures[i + 1] is not null)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The bytes of the file from <paramref name="offset"/> on, after <paramref name="prefix"/>.</summary>
    public static Stream Part(string path, long offset, ReadOnlySpan<byte> prefix)
    {
        var file = CocoFiles.OpenRead(path);
        file.Position = offset;
        return new PrefixedStream(prefix.ToArray(), file);
    }

    /// <summary>The index of the '{' of the first "} , {" in <paramref name="bytes"/>, or -1.</summary>
    private static int FindRecordStart(ReadOnlySpan<byte> bytes)
    {
        for (int i = bytes.IndexOf((byte)'}'); i >= 0 && i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'}')
            {
                continue;
            }

            int j = SkipWhiteSpace(bytes, i + 1);
            if (j < bytes.Length && bytes[j] == (byte)',')
            {
                j = SkipWhiteSpace(bytes, j + 1);
                if (j < bytes.Length && bytes[j] == (byte)'{')
                {
                    return j;
                }
            }
        }

        return -1;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> bytes, int i)
    {
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    /// <summary>A few bytes, then the rest of a file (read-only, forward-only).</summary>
    private sealed class PrefixedStream(byte[] prefix, FileStream file) : Stream
    {
        private int prefixRead;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefixRead < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - prefixRead);
                prefix.AsSpan(prefixRead, n).CopyTo(buffer);
                prefixRead += n;
                return n;
            }

            return file.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
