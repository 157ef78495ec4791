using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

/// <summary>An interrupted pass resumes from its checkpoint and ends with exactly the uninterrupted results.</summary>
public sealed class DetectionCheckpointTests : IClassFixture<NanodetFixture>, IDisposable
{
    private readonly NanodetFixture nanodet;
    private readonly TempDir temp = new();
    private readonly IReadOnlyList<ImageRef> images;

    public DetectionCheckpointTests(NanodetFixture nanodet)
    {
        this.nanodet = nanodet;
        images = ImageList.FromFolder(TestPaths.CocoImages).Take(6).ToArray();
    }

    [Fact]
    public void Killed_midway_then_resumed_gives_the_uninterrupted_results()
    {
        var uninterrupted = DetectionRunner.Run(nanodet.Pipeline, images);
        var path = temp.File("run.ckpt.jsonl");

        // Interrupt after 3 images, as a kill between two runs would.
        using (var cts = new CancellationTokenSource())
        using (var first = DetectionCheckpoint.Open(path, "fp"))
        {
            Assert.Throws<OperationCanceledException>(() => DetectionRunner.Run(
                nanodet.Pipeline, images, progress: done => { if (done >= 3) cts.Cancel(); }, cancellationToken: cts.Token, checkpoint: first));
        }

        DetectionRunResult resumed;
        using (var second = DetectionCheckpoint.Open(path, "fp"))
        {
            Assert.Equal(3, second.DonePaths.Count);
            Assert.Equal(3, second.RestoredRuns);
            resumed = DetectionRunner.Run(nanodet.Pipeline, images, checkpoint: second);
        }

        AssertSameResults(uninterrupted, resumed);
        Assert.Equal(6, resumed.Batches.Count);
        Assert.Equal(WriteResults(uninterrupted), WriteResults(resumed));
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_that_image_runs_again()
    {
        var path = temp.File("torn.ckpt.jsonl");
        using (var cts = new CancellationTokenSource())
        using (var first = DetectionCheckpoint.Open(path, "fp"))
        {
            Assert.Throws<OperationCanceledException>(() => DetectionRunner.Run(
                nanodet.Pipeline, images, progress: done => { if (done >= 2) cts.Cancel(); }, cancellationToken: cts.Token, checkpoint: first));
        }

        // Cut the last record in half: the process died while writing it.
        var bytes = File.ReadAllBytes(path);
        var lastStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        File.WriteAllBytes(path, bytes[..(lastStart + ((bytes.Length - lastStart) / 2))]);

        using var second = DetectionCheckpoint.Open(path, "fp");
        Assert.Single(second.DonePaths);
        var resumed = DetectionRunner.Run(nanodet.Pipeline, images, checkpoint: second);
        AssertSameResults(DetectionRunner.Run(nanodet.Pipeline, images), resumed);
    }

    [Fact]
    public void A_checkpoint_with_another_fingerprint_is_discarded()
    {
        var path = temp.File("other.ckpt.jsonl");
        using (var first = DetectionCheckpoint.Open(path, "settings A"))
        {
            DetectionRunner.Run(nanodet.Pipeline, images.Take(2).ToArray(), checkpoint: first);
        }

        using var second = DetectionCheckpoint.Open(path, "settings B");
        Assert.Empty(second.DonePaths);
        Assert.NotNull(second.DiscardedReason);
    }

    [Fact]
    public void Complete_deletes_the_checkpoint()
    {
        var path = temp.File("done.ckpt.jsonl");
        var checkpoint = DetectionCheckpoint.Open(path, "fp");
        DetectionRunner.Run(nanodet.Pipeline, images.Take(1).ToArray(), checkpoint: checkpoint);
        checkpoint.Complete();
        checkpoint.Dispose();
        Assert.False(File.Exists(path));
    }

    public void Dispose() => temp.Dispose();

    private static void AssertSameResults(DetectionRunResult expected, DetectionRunResult actual)
    {
        Assert.Equal(expected.Images.Select(i => i.Image), actual.Images.Select(i => i.Image));
        for (var i = 0; i < expected.Images.Count; i++)
        {
            Assert.Equal(expected.Images[i].Detections, actual.Images[i].Detections);
        }
    }

    private static byte[] WriteResults(DetectionRunResult result)
    {
        using var stream = new MemoryStream();
        DetectionResultsFile.Write(stream, result.Images);
        return stream.ToArray();
    }
}
