using System.Text.Json;
using RfcnPerf.Shared;

namespace RfcnPerf.Coco;

/// <summary>
/// Writes a COCO results list (<c>[{"image_id","category_id","bbox":[x,y,w,h],"score"}]</c>), the format
/// pycocotools' <c>loadRes</c> and <see cref="CocoResults.Load(string, CocoGroundTruth, bool)"/> read. Numbers are
/// written in shortest round-trip form of the type given: a detector's <see cref="float"/> boxes stay as short as
/// the float (<c>0.1</c>, not <c>0.10000000149011612</c>), and reading them back gives the same value widened.
/// </summary>
public sealed class CocoResultsWriter : IDisposable
{
    private readonly Utf8JsonWriter writer;
    private bool disposed;

    /// <summary>Starts the list on <paramref name="stream"/>; <see cref="Dispose"/> closes it.</summary>
    public CocoResultsWriter(Stream stream)
    {
        writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartArray();
    }

    /// <summary>Writes a whole file atomically: <paramref name="fill"/> adds the records to a temp file that then replaces <paramref name="path"/>.</summary>
    public static void WriteFile(string path, Action<CocoResultsWriter> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        AtomicFile.Write(path, stream =>
        {
            using var results = new CocoResultsWriter(stream);
            fill(results);
        });
    }

    /// <summary>Adds one record with single-precision box and score (a detector's output).</summary>
    public void Add(long imageId, long categoryId, float x, float y, float width, float height, float score)
    {
        Start(imageId, categoryId);
        writer.WriteNumberValue(x);
        writer.WriteNumberValue(y);
        writer.WriteNumberValue(width);
        writer.WriteNumberValue(height);
        End(score);
    }

    /// <summary>Adds one record in double precision.</summary>
    public void Add(in CocoDetection d)
    {
        Start(d.ImageId, d.CategoryId);
        writer.WriteNumberValue(d.X);
        writer.WriteNumberValue(d.Y);
        writer.WriteNumberValue(d.Width);
        writer.WriteNumberValue(d.Height);
        writer.WriteEndArray();
        writer.WriteNumber("score", d.Score);
        writer.WriteEndObject();
    }

    /// <summary>Closes the list and flushes.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        writer.WriteEndArray();
        writer.Dispose();
    }

    private void Start(long imageId, long categoryId)
    {
        writer.WriteStartObject();
        writer.WriteNumber("image_id", imageId);
        writer.WriteNumber("category_id", categoryId);
        writer.WriteStartArray("bbox");
    }

    private void End(float score)
    {
        writer.WriteEndArray();
        writer.WriteNumber("score", score);
        writer.WriteEndObject();
    }
}
