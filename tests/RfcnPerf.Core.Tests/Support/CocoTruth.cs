using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Ground truth of the COCO subset, read once with System.Text.Json (independent of the code under test).</summary>
internal static class CocoTruth
{
    private static readonly Lazy<Data> Loaded = new(Load);

    public static IReadOnlyList<(int Id, string Name)> Categories => Loaded.Value.Categories;

    public static (int Width, int Height, string FileName) Image(long imageId) => Loaded.Value.Images[imageId];

    public static IReadOnlyList<GtBox> Boxes(long imageId) =>
        Loaded.Value.Boxes.TryGetValue(imageId, out var list) ? list : [];

    private static Data Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.CocoAnnotations));
        var root = doc.RootElement;
        var images = root.GetProperty("images").EnumerateArray().ToDictionary(
            i => i.GetProperty("id").GetInt64(),
            i => (i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32(), i.GetProperty("file_name").GetString()!));
        var categories = root.GetProperty("categories").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetInt32(), c.GetProperty("name").GetString()!)).ToArray();
        var boxes = new Dictionary<long, List<GtBox>>();
        foreach (var a in root.GetProperty("annotations").EnumerateArray())
        {
            var bbox = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var box = new GtBox(a.GetProperty("category_id").GetInt32(), bbox[0], bbox[1], bbox[2], bbox[3],
                a.GetProperty("area").GetDouble(), a.GetProperty("iscrowd").GetInt32() != 0);
            var imageId = a.GetProperty("image_id").GetInt64();
            if (!boxes.TryGetValue(imageId, out var list))
            {
                boxes[imageId] = list = [];
            }

            list.Add(box);
        }

        return new Data(images, categories, boxes);
    }

    internal sealed record GtBox(int CategoryId, double X, double Y, double Width, double Height, double Area, bool IsCrowd);

    private sealed record Data(
        Dictionary<long, (int Width, int Height, string FileName)> Images,
        (int Id, string Name)[] Categories,
        Dictionary<long, List<GtBox>> Boxes);
}
