using System.Text.Json;

namespace RfcnPerf.Core.Pipeline;

/// <summary>What the detection side needs from a COCO annotation file: its images and its categories.</summary>
public sealed record AnnotationIndex(IReadOnlyList<(long Id, string FileName)> Images, IReadOnlyList<(int Id, string Name)> Categories)
{
    /// <summary>Reads the images and categories of a COCO annotation file.</summary>
    public static AnnotationIndex Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RfcnPerfException($"annotation file not found: {Path.GetFullPath(path)}");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var images = doc.RootElement.GetProperty("images").EnumerateArray()
                .Select(i => (i.GetProperty("id").GetInt64(), i.GetProperty("file_name").GetString()!)).ToArray();
            var cats = doc.RootElement.GetProperty("categories").EnumerateArray()
                .Select(c => (c.GetProperty("id").GetInt32(), c.GetProperty("name").GetString()!)).ToArray();
            return new AnnotationIndex(images, cats);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new RfcnPerfException($"{path}: not a COCO annotation file ({ex.Message})", ex);
        }
    }
}
