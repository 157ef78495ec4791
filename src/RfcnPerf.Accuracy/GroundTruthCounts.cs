using System.Text.Json;
using RfcnPerf.Coco;

namespace RfcnPerf.Accuracy;

/// <summary>
/// Ground-truth boxes per category (crowd regions excluded) on a set of images, so a reader can tell a per-class
/// AP swing on 3 boxes from one on 300. Reads the annotation file with a forward-only reader (no document tree).
/// </summary>
internal static class GroundTruthCounts
{
    /// <summary>Non-crowd annotations per category id on <paramref name="imageIds"/> (every image when null).</summary>
    public static IReadOnlyDictionary<long, int> Count(string annotationsPath, IReadOnlySet<long>? imageIds)
    {
        var counts = new Dictionary<long, int>();
        var reader = new Utf8JsonReader(File.ReadAllBytes(annotationsPath), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            // Find the top-level "annotations" array.
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    var isAnnotations = reader.ValueTextEquals("annotations");
                    reader.Read();
                    if (!isAnnotations || reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        long? image = null, category = null;
                        var crowd = false;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("image_id") && reader.Read())
                            {
                                image = reader.GetInt64();
                            }
                            else if (reader.ValueTextEquals("category_id") && reader.Read())
                            {
                                category = reader.GetInt64();
                            }
                            else if (reader.ValueTextEquals("iscrowd") && reader.Read())
                            {
                                crowd = reader.TokenType == JsonTokenType.True || (reader.TokenType == JsonTokenType.Number && reader.GetDouble() != 0);
                            }
                            else
                            {
                                reader.Read();
                                reader.Skip();
                            }
                        }

                        if (image is { } i && category is { } c && !crowd && (imageIds is null || imageIds.Contains(i)))
                        {
                            counts[c] = counts.GetValueOrDefault(c) + 1;
                        }
                    }

                    break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new CocoException($"{annotationsPath}: cannot count the annotations per category ({ex.Message})", ex);
        }

        return counts;
    }
}
