using System.Text;
using System.Text.Json;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Makes a detection pass resumable: every finished run is appended (and flushed) to a JSON Lines file, so
/// an interrupted pass picks up where it stopped. Floats are written in shortest round-trip form, so restored
/// detections are the exact values, and a resumed pass yields the same results file as an uninterrupted one.
/// The first line holds a fingerprint of everything that shapes the results (model hash, settings,
/// thresholds, image list); a checkpoint with another fingerprint is discarded, never mixed in. A torn last
/// line (the process died mid-write) is ignored and overwritten.
/// </summary>
public sealed class DetectionCheckpoint : IDisposable
{
    private readonly string path;
    private readonly List<Entry> restored = [];
    private FileStream? stream;

    private DetectionCheckpoint(string path) => this.path = path;

    /// <summary>Images already finished (or skipped as unreadable), by path.</summary>
    public HashSet<string> DonePaths { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs restored from an earlier pass.</summary>
    public int RestoredRuns => restored.Count(e => e.Batch is not null);

    /// <summary>Why an existing checkpoint was discarded, if it was.</summary>
    public string? DiscardedReason { get; private set; }

    /// <summary>Opens (or starts) the checkpoint at <paramref name="path"/> for a pass with this fingerprint.</summary>
    public static DetectionCheckpoint Open(string path, string fingerprint)
    {
        var checkpoint = new DetectionCheckpoint(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        long validLength = 0;
        if (File.Exists(path))
        {
            validLength = checkpoint.Read(fingerprint);
        }

        checkpoint.stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        checkpoint.stream.SetLength(validLength);
        checkpoint.stream.Seek(validLength, SeekOrigin.Begin);
        if (validLength == 0)
        {
            checkpoint.WriteLine(w =>
            {
                w.WriteStartObject();
                w.WriteString("fingerprint", fingerprint);
                w.WriteEndObject();
            });
        }

        return checkpoint;
    }

    /// <summary>Adds the restored runs, detections and skipped files to <paramref name="result"/>.</summary>
    public void Restore(DetectionRunResult result)
    {
        foreach (var entry in restored)
        {
            if (entry.Batch is { } batch)
            {
                result.Batches.Add(batch);
                result.Images.AddRange(entry.Images);
            }
            else
            {
                result.BadImages.Add(entry.Bad!.Value);
            }
        }
    }

    /// <summary>Records one finished run.</summary>
    public void Append(BatchRecord batch, IEnumerable<ImageDetections> images) => WriteLine(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("times");
        w.WriteNumberValue(batch.Times.DecodeMs);
        w.WriteNumberValue(batch.Times.PreprocessMs);
        w.WriteNumberValue(batch.Times.InferenceMs);
        w.WriteNumberValue(batch.Times.PostprocessMs);
        w.WriteEndArray();
        w.WriteBoolean("warmup", batch.Warmup);
        w.WriteStartArray("images");
        foreach (var image in images)
        {
            w.WriteStartObject();
            w.WriteNumber("id", image.Image.ImageId);
            w.WriteString("path", image.Image.Path);
            w.WriteNumber("w", image.Width);
            w.WriteNumber("h", image.Height);
            w.WriteStartArray("dets");
            foreach (var d in image.Detections)
            {
                w.WriteStartArray();
                w.WriteNumberValue(d.CategoryId);
                w.WriteNumberValue(d.Score);
                w.WriteNumberValue(d.X);
                w.WriteNumberValue(d.Y);
                w.WriteNumberValue(d.Width);
                w.WriteNumberValue(d.Height);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Records an image skipped as unreadable.</summary>
    public void AppendBad(string imagePath, string reason) => WriteLine(w =>
    {
        w.WriteStartObject();
        w.WriteString("bad", imagePath);
        w.WriteString("reason", reason);
        w.WriteEndObject();
    });

    /// <summary>The pass finished and its outputs are written: the checkpoint is no longer needed.</summary>
    public void Complete()
    {
        stream?.Dispose();
        stream = null;
        File.Delete(path);
    }

    /// <inheritdoc />
    public void Dispose() => stream?.Dispose();

    private void WriteLine(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        buffer.WriteByte((byte)'\n');
        stream!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        stream.Flush(flushToDisk: false);
    }

    /// <summary>Reads an existing checkpoint; returns the length of its valid prefix (0 = start over).</summary>
    private long Read(string fingerprint)
    {
        var bytes = File.ReadAllBytes(path);
        long offset = 0;
        var first = true;
        while (offset < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', (int)offset);
            if (end < 0)
            {
                break; // torn last line
            }

            var line = bytes.AsSpan((int)offset, end - (int)offset);
            try
            {
                using var doc = JsonDocument.Parse(line.ToArray());
                if (first)
                {
                    if (doc.RootElement.GetProperty("fingerprint").GetString() != fingerprint)
                    {
                        DiscardedReason = "it was made with other settings, model or images";
                        return 0;
                    }

                    first = false;
                }
                else
                {
                    restored.Add(Parse(doc.RootElement));
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                if (first)
                {
                    DiscardedReason = $"its header is unreadable ({ex.Message})";
                    return 0;
                }

                break;
            }

            offset = end + 1;
        }

        foreach (var entry in restored)
        {
            if (entry.Batch is not null)
            {
                DonePaths.UnionWith(entry.Images.Select(i => i.Image.Path));
            }
            else
            {
                DonePaths.Add(entry.Bad!.Value.Path);
            }
        }

        return offset;
    }

    private static Entry Parse(JsonElement e)
    {
        if (e.TryGetProperty("bad", out var bad))
        {
            return new Entry(null, [], (bad.GetString()!, e.GetProperty("reason").GetString()!));
        }

        var t = e.GetProperty("times");
        var images = new List<ImageDetections>();
        foreach (var i in e.GetProperty("images").EnumerateArray())
        {
            var dets = i.GetProperty("dets").EnumerateArray()
                .Select(d => new Detection(d[0].GetInt32(), d[1].GetSingle(), d[2].GetSingle(), d[3].GetSingle(), d[4].GetSingle(), d[5].GetSingle()))
                .ToArray();
            images.Add(new ImageDetections(new ImageRef(i.GetProperty("id").GetInt64(), i.GetProperty("path").GetString()!),
                i.GetProperty("w").GetInt32(), i.GetProperty("h").GetInt32(), dets));
        }

        var times = new StageTimes(t[0].GetDouble(), t[1].GetDouble(), t[2].GetDouble(), t[3].GetDouble());
        return new Entry(new BatchRecord(times, images.Count, e.GetProperty("warmup").GetBoolean()), images, null);
    }

    private sealed record Entry(BatchRecord? Batch, List<ImageDetections> Images, (string Path, string Reason)? Bad);

    /// <summary>A fingerprint from the parts that shape a pass's results.</summary>
    public static string Fingerprint(params object?[] parts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts))));
}
