namespace RfcnPerf.Shared;

/// <summary>
/// Writes a file so that a reader (another process, a cache lookup, a resumed run) sees the old file or the whole
/// new one, never a part: the bytes go to a private temporary file in the destination's folder (same file system,
/// so the final rename is atomic; the process id and a GUID keep concurrent writers of the same path apart) that
/// then replaces the destination. A failed write deletes its temporary file and leaves the destination as it was.
/// <para>
/// This one source file is compiled into the libraries that write files and see no other copy (a linked
/// <c>Compile</c> item, internal in each: Coco, Onnx, Core, Reporting): the COCO evaluator must stay BCL-only with no
/// project reference, and the ONNX and reporting libraries reference no project that could carry it. The quantizer,
/// which sees Onnx's internals, uses Onnx's copy.
/// </para>
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> from <paramref name="write"/>, which fills the stream it is given (creating the folder).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark (as <see cref="File.WriteAllText(string, string?)"/> does).</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));
}
