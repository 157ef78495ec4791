using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class DetectionRunnerTests(Yolov8nFixture model) : IClassFixture<Yolov8nFixture>, IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>good, truncated, missing, good, text-as-jpg: in that order.</summary>
    private (IReadOnlyList<ImageRef> Images, string Truncated, string Missing, string Text) MixedList()
    {
        var good1 = Path.Combine(TestPaths.CocoImages, "000000252219.jpg");
        var good2 = Path.Combine(TestPaths.CocoImages, "000000491008.jpg");
        var truncated = temp.File("000000000001.jpg");
        var bytes = File.ReadAllBytes(good1);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var missing = temp.File("000000000002.jpg");
        var text = temp.File("000000000003.jpg");
        File.WriteAllText(text, "not a jpeg");
        return ([new(252219, good1), new(1, truncated), new(2, missing), new(491008, good2), new(3, text)], truncated, missing, text);
    }

    [Fact]
    public void Skipping_bad_images_lists_them_and_processes_the_rest()
    {
        var (images, truncated, missing, text) = MixedList();
        var progress = new List<int>();

        var result = DetectionRunner.Run(model.Pipeline, images, skipBadImages: true, progress: progress.Add);

        Assert.Equal([252219L, 491008L], result.Images.Select(i => i.Image.ImageId));
        Assert.Equal([(640, 428), (640, 427)], result.Images.Select(i => (i.Width, i.Height)));
        Assert.Equal([truncated, missing, text], result.BadImages.Select(b => b.Path));
        Assert.All(result.BadImages, b => Assert.Contains(b.Path, b.Reason, StringComparison.Ordinal));
        Assert.Equal(2, result.Batches.Count);
        Assert.Equal([1, 4], progress.Take(2));
    }

    [Fact]
    public void Progress_reaches_the_list_length_when_the_last_image_is_bad()
    {
        // The list ends with a skipped image: the run has done all 5 images, so the last report must say 5.
        var (images, _, _, _) = MixedList();
        var progress = new List<int>();

        DetectionRunner.Run(model.Pipeline, images, skipBadImages: true, progress: progress.Add);

        Assert.Equal(images.Count, progress[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Without_skipping_the_first_bad_image_stops_the_run_with_its_name(int which)
    {
        var (images, truncated, missing, text) = MixedList();
        string[] bad = [truncated, missing, text];

        // Keep only the chosen bad image among the good ones.
        var list = images.Where(i => !bad.Contains(i.Path) || i.Path == bad[which]).ToList();
        var ex = Assert.Throws<RfcnPerfException>(() => DetectionRunner.Run(model.Pipeline, list, skipBadImages: false));

        Assert.Contains(bad[which], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_list_gives_one_result_per_image_in_order()
    {
        var images = ImageList.FromAnnotations([(252219, "000000252219.jpg"), (269316, "000000269316.jpg")], TestPaths.CocoImages);

        var result = DetectionRunner.Run(model.Pipeline, images);

        Assert.Equal([252219L, 269316L], result.Images.Select(i => i.Image.ImageId));
        Assert.Empty(result.BadImages);
        Assert.Equal([1, 1], result.Batches.Select(b => b.Images));
        Assert.All(result.Batches, b => Assert.True(b.Times.InferenceMs > 0 && b.Times.DecodeMs > 0, $"stage times not measured: {b}"));
    }
}
