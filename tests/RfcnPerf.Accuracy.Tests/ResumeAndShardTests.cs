using RfcnPerf.Coco;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>An interrupted eval run resumes to the same results; shards scored together equal one run.</summary>
public sealed class ResumeAndShardTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void InterruptedRun_ResumesWhereItStopped_AndEndsWithTheSameResultsAsAnUninterruptedRun()
    {
        const int images = 10;
        var whole = AccuracyRunner.Run(TestRuns.Options(dir.File("whole"), images, TestRuns.First), new RecordingListener());

        var outDir = dir.File("interrupted");
        var options = TestRuns.Options(outDir, images, TestRuns.First);
        using (var cancel = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => AccuracyRunner.Run(options, new RecordingListener(cancel, cancelAfterImages: 4), cancel.Token));
        }

        var modelDir = Path.Combine(outDir, TestRuns.FirstName);
        Assert.True(File.Exists(Path.Combine(modelDir, TestRuns.FirstName + ".checkpoint.jsonl")));
        Assert.False(File.Exists(Path.Combine(modelDir, "run.json")));
        Assert.True(File.Exists(Path.Combine(outDir, AccuracyRunner.IncompleteMarker)));

        var listener = new RecordingListener();
        var resumed = AccuracyRunner.Run(options, listener);

        Assert.Contains(listener.Lines, l => l.Contains("resuming an interrupted pass: 4 of 10 images already done", StringComparison.Ordinal));
        Assert.Equal(4, resumed.Runs[0].ResumedImages);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(dir.File("whole"), TestRuns.FirstName, TestRuns.FirstName + ".results.json")),
            File.ReadAllBytes(Path.Combine(modelDir, TestRuns.FirstName + ".results.json")));
        Assert.Equal(whole.Runs[0].Stats, resumed.Runs[0].Stats);
        Assert.False(File.Exists(Path.Combine(modelDir, TestRuns.FirstName + ".checkpoint.jsonl")));
        Assert.False(File.Exists(Path.Combine(outDir, AccuracyRunner.IncompleteMarker)));

        // Both sessions' first runs are warm-ups, excluded from the latency of the resumed pass.
        Assert.Equal(2, resumed.Runs[0].Latency!.WarmupRequests);
        Assert.Equal(images - 2, resumed.Runs[0].Latency!.Requests);
    }

    [Fact]
    public void Shards_ScoredTogether_GiveTheSameStatsAsOneRun()
    {
        const int shards = 3;
        var gtPath = TestRuns.WriteSubsetGroundTruth(dir.File("gt-9.json"), 9);
        var one = AccuracyRunner.Run(TestRuns.Options(dir.File("one"), null, TestRuns.First) with { Annotations = gtPath }, new RecordingListener());
        Assert.False(one.Data.Restricted);
        Assert.Null(one.Runs[0].EvaluatedImageIds);

        var files = new List<string>();
        for (var i = 0; i < shards; i++)
        {
            var shardDir = dir.File($"shard-{i}");
            var part = AccuracyRunner.Run(TestRuns.Options(shardDir, null, TestRuns.First) with { Annotations = gtPath, Shard = (i, shards) }, new RecordingListener());
            Assert.Equal(3, part.Data.Images);
            files.Add(Path.Combine(shardDir, TestRuns.FirstName, TestRuns.FirstName + ".results.json"));
        }

        // Each shard's run.json names its place in one set; together they are complete.
        var merge = ShardSet.Check(files, allowMissing: false)!;
        Assert.Equal([0, 1, 2], merge.Present);
        Assert.Equal(9, merge.ImageIds.Count);
        Assert.Null(one.Runs[0].Shard);

        var gt = CocoGroundTruth.Load(gtPath);
        var merged = new CocoEvaluator(gt, CocoResults.Load(files, gt)).Run();

        Assert.Equal(one.Runs[0].Stats.Select(BitConverter.DoubleToInt64Bits), merged.Stats.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(one.Runs[0].Detections, files.Sum(f => CocoResults.Load(f, gt).Count));
    }

    [Fact]
    public void DefaultOutDir_ResumesTheInterruptedRunOfTheSameCommand_ElseMakesANewFolder()
    {
        var root = dir.File("accuracy");
        var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local);
        Assert.Equal(Path.Combine(root, "20260102-030405"), AccuracyRunner.DefaultOutDir(root, "abc", now));

        Directory.CreateDirectory(Path.Combine(root, "20260101-000000"));
        File.WriteAllText(Path.Combine(root, "20260101-000000", AccuracyRunner.IncompleteMarker), "abc");
        Directory.CreateDirectory(Path.Combine(root, "20260101-120000"));
        File.WriteAllText(Path.Combine(root, "20260101-120000", AccuracyRunner.IncompleteMarker), "other command");

        Assert.Equal(Path.Combine(root, "20260101-000000"), AccuracyRunner.DefaultOutDir(root, "abc", now));
        Assert.Equal(Path.Combine(root, "20260102-030405"), AccuracyRunner.DefaultOutDir(root, "xyz", now));
    }

    [Fact]
    public void Spread_PicksEvenlySpacedImages_FirstIncluded()
    {
        var images = Enumerable.Range(0, 10).Select(i => new ImageRef(i, $"{i}.jpg")).ToArray();
        Assert.Equal([0L, 3, 6], SideBySideVisualizer.Spread(images, 3).Select(i => i.ImageId));
        Assert.Equal(10, SideBySideVisualizer.Spread(images, 50).Count);
        Assert.Empty(SideBySideVisualizer.Spread(images, 0));
    }
}
