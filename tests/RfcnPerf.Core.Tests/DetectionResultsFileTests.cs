using System.Text.Json;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;

namespace RfcnPerf.Core.Tests;

public sealed class DetectionResultsFileTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly ImageDetections[] Sample =
    [
        new(new ImageRef(397133, "a.jpg"), 640, 427, [new Detection(1, 0.9f, 10.5f, 20.25f, 100f, 200.125f), new Detection(90, 0.001f, 0f, 0f, 1f, 1f)]),
        new(new ImageRef(139, "b.jpg"), 640, 426, []),
        new(new ImageRef(285, "c.jpg"), 586, 640, [new Detection(23, 0.123456f, 1.1f, 2.2f, 3.3f, 4.4f)]),
    ];

    [Fact]
    public void Output_is_a_json_list_of_coco_results()
    {
        var path = temp.File("out/sub/results.json");

        DetectionResultsFile.Write(path, Sample);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        var expected = Sample.SelectMany(i => i.Detections.Select(d => (i.Image.ImageId, d))).ToArray();
        Assert.Equal(expected.Length, rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            var (imageId, d) = expected[r];
            Assert.Equal(["image_id", "category_id", "bbox", "score"], rows[r].EnumerateObject().Select(p => p.Name));
            Assert.Equal(imageId, rows[r].GetProperty("image_id").GetInt64());
            Assert.Equal(d.CategoryId, rows[r].GetProperty("category_id").GetInt32());
            Assert.Equal([d.X, d.Y, d.Width, d.Height], rows[r].GetProperty("bbox").EnumerateArray().Select(v => v.GetSingle()));
            Assert.Equal(d.Score, rows[r].GetProperty("score").GetSingle());
        }

        Assert.False(File.Exists(path + ".tmp"), "the temporary file was left behind");
    }

    [Fact]
    public void No_detections_give_an_empty_list()
    {
        using var stream = new MemoryStream();

        DetectionResultsFile.Write(stream, [Sample[1]]);

        Assert.Equal("[]", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
