using RfcnPerf.Testing;
using RfcnPerf.Core;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>
/// A merge knows its shard set from the run.json beside each results file: complete sets pass, a missing shard is
/// named, duplicates, other runs and non-shards are refused. (The real shards' metadata is checked in
/// <see cref="ResumeAndShardTests"/>; here the run.json files are written directly to reach every case.)
/// </summary>
public sealed class ShardSetTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void CompleteSet_ListsEveryShard_AndTheUnionOfTheirImages()
    {
        var files = Enumerable.Range(0, 3).Select(i => Shard($"s{i}", i, 3, "set-a", [i, i + 3])).ToArray();

        var merge = ShardSet.Check(files, allowMissing: false)!;

        Assert.Equal(3, merge.Count);
        Assert.Equal([0, 1, 2], merge.Present);
        Assert.Empty(merge.Missing);
        Assert.Equal([0L, 1, 2, 3, 4, 5], merge.ImageIds);
    }

    [Fact]
    public void MissingShard_IsRefused_NamingIt()
    {
        var files = new[] { Shard("s0", 0, 4, "set-a", [0]), Shard("s1", 1, 4, "set-a", [1]), Shard("s3", 3, 4, "set-a", [3]) };

        var ex = Assert.Throws<RfcnPerfException>(() => ShardSet.Check(files, allowMissing: false));

        Assert.Contains("incomplete shard set: shard 2/4 missing (given 3 of 4: 0, 1, 3)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("eval run --shard 2/4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingShards_WhenAllowed_AreListed()
    {
        var merge = ShardSet.Check([Shard("s1", 1, 4, "set-a", [1])], allowMissing: true)!;

        Assert.Equal([0, 2, 3], merge.Missing);
        Assert.Equal([1L], merge.ImageIds);
    }

    [Fact]
    public void ShardGivenTwice_IsRefused()
    {
        var a = Shard("a", 0, 2, "set-a", [0]);
        var b = Shard("b", 0, 2, "set-a", [0]);

        var ex = Assert.Throws<RfcnPerfException>(() => ShardSet.Check([a, b, Shard("c", 1, 2, "set-a", [1])], allowMissing: false));

        Assert.Contains("shard 0/2 is given twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardsOfAnotherRun_AreRefused()
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ShardSet.Check([Shard("a", 0, 2, "set-a", [0]), Shard("b", 1, 2, "set-b", [1])], allowMissing: false));

        Assert.Contains("of another run", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardMixedWithAPlainResultsFile_IsRefused()
    {
        var plain = dir.File("plain.results.json");
        File.WriteAllText(plain, "[]");

        var ex = Assert.Throws<RfcnPerfException>(() => ShardSet.Check([Shard("a", 0, 1, "set-a", [0]), plain], allowMissing: false));

        Assert.Contains("plain.results.json is not a shard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesWithoutShardMetadata_HaveNothingToCheck()
    {
        var plain = dir.File("plain.results.json");
        File.WriteAllText(plain, "[]");

        Assert.Null(ShardSet.Check([plain], allowMissing: false));
    }

    [Fact]
    public void AbsentResultsFile_IsNamed()
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ShardSet.Check([dir.File("nope/m.results.json")], allowMissing: false));

        Assert.Contains("m.results.json: results file not found", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes <c>NAME/m.results.json</c> and the run.json beside it; returns the results path.</summary>
    private string Shard(string name, int index, int count, string setId, long[] images)
    {
        var folder = dir.File(name);
        Directory.CreateDirectory(folder);
        var results = Path.Combine(folder, "m.results.json");
        File.WriteAllText(results, "[]");
        JsonReportFile.Write(Path.Combine(folder, "run.json"), new ModelRun
        {
            Model = new ModelFacts("m", RfcnPerf.Onnx.ModelPrecision.FP32, "sha", "yolov8", "640x640", null, 0, "None", 0, "m.onnx", null),
            Fingerprint = name,
            ResultsFile = "m.results.json",
            Annotations = "gt.json",
            ImagesProcessed = images.Length,
            Detections = 0,
            EvaluatedImageIds = images,
            EvaluatedImageCount = images.Length,
            Stats = new double[12],
            StatNames = [],
            StatLines = [],
            PerCategory = [],
            PrecisionRecall = [],
            Shard = new ShardInfo(index, count, setId, 10),
        });
        return results;
    }
}
