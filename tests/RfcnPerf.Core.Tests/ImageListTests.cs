using RfcnPerf.Core.Pipeline;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class ImageListTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private void Touch(params string[] names)
    {
        foreach (var name in names)
        {
            File.WriteAllBytes(temp.File(name), []);
        }
    }

    [Fact]
    public void FromFolder_takes_images_sorted_with_ids_from_numeric_names()
    {
        Touch("000000397133.jpg", "000000000139.JPG", "000000000285.png", "notes.txt", "000000000632.jpeg");

        var list = ImageList.FromFolder(temp.Path);

        Assert.Equal([139L, 285L, 632L, 397133L], list.Select(i => i.ImageId));
        Assert.Equal(["000000000139.JPG", "000000000285.png", "000000000632.jpeg", "000000397133.jpg"], list.Select(i => Path.GetFileName(i.Path)));
    }

    [Fact]
    public void FromFolder_numbers_other_names_by_position()
    {
        Touch("b.png", "a.jpg", "c d.jpeg");

        Assert.Equal([1L, 2L, 3L], ImageList.FromFolder(temp.Path).Select(i => i.ImageId));
    }

    [Fact]
    public void FromFolder_gives_unique_ids_when_numeric_and_other_names_mix()
    {
        // "2.jpg" takes id 2 from its name; "cat.jpg" is second in order and takes id 2 from its position.
        // Two images with one id would merge their detections in a COCO results file.
        Touch("2.jpg", "cat.jpg");

        var ids = ImageList.FromFolder(temp.Path).Select(i => i.ImageId).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void FromFolder_errors_name_the_folder()
    {
        var missing = temp.File("missing");
        var ex = Assert.Throws<RfcnPerfException>(() => ImageList.FromFolder(missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);

        Touch("readme.txt");
        ex = Assert.Throws<RfcnPerfException>(() => ImageList.FromFolder(temp.Path));
        Assert.Contains(temp.Path, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int, int> ShardCases => new() { { 0, 1 }, { 1, 1 }, { 10, 3 }, { 11, 4 }, { 7, 7 }, { 3, 5 }, { 385, 8 } };

    [Theory]
    [MemberData(nameof(ShardCases))]
    public void Shards_partition_the_list_deterministically_and_evenly(int images, int count)
    {
        var list = Enumerable.Range(0, images).Select(i => new ImageRef(1000 + i, $"{i}.jpg")).ToArray();

        var shards = Enumerable.Range(0, count).Select(i => ImageList.Shard(list, i, count)).ToArray();

        var all = shards.SelectMany(s => s).ToArray();
        Assert.Equal(list.Length, all.Length);
        Assert.Equal(list.OrderBy(i => i.ImageId), all.OrderBy(i => i.ImageId));
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.InRange(shards.Max(s => s.Count) - shards.Min(s => s.Count), 0, 1);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(shards[i], ImageList.Shard(list, i, count));
            Assert.Equal(shards[i].OrderBy(r => r.ImageId), shards[i]);
        }
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(4, 4)]
    [InlineData(0, 0)]
    public void An_invalid_shard_is_a_user_error(int index, int count)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ImageList.Shard([new ImageRef(1, "a.jpg")], index, count));

        Assert.Contains($"shard {index}/{count}", ex.Message, StringComparison.Ordinal);
    }
}
