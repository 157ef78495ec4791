using System.Text.Json;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Writes detections as a COCO results list (<c>[{"image_id","category_id","bbox":[x,y,w,h],"score"}]</c>),
/// the format pycocotools' <c>loadRes</c> reads. Floats are written in shortest round-trip form.
/// </summary>
public static class CocoResultsWriter
{
    /// <summary>Writes <paramref name="images"/>' detections to <paramref name="path"/> (created or replaced).</summary>
    public static void Write(string path, IEnumerable<ImageDetections> images)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            Write(stream, images);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes the results list to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<ImageDetections> images)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartArray();
        foreach (var image in images)
        {
            foreach (var d in image.Detections)
            {
                writer.WriteStartObject();
                writer.WriteNumber("image_id", image.Image.ImageId);
                writer.WriteNumber("category_id", d.CategoryId);
                writer.WriteStartArray("bbox");
                writer.WriteNumberValue(d.X);
                writer.WriteNumberValue(d.Y);
                writer.WriteNumberValue(d.Width);
                writer.WriteNumberValue(d.Height);
                writer.WriteEndArray();
                writer.WriteNumber("score", d.Score);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }
}
