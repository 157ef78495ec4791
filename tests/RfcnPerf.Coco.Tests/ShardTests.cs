using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>Results split into shards score exactly as the whole file (the files are concatenated in order).</summary>
public sealed class ShardTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("rand_04_many_dets", 2)]
    [InlineData("rand_03_ties", 3)]
    [InlineData("large_tiled5k_36k", 2)]
    public void Shards_give_the_same_bits_as_one_file(string name, int shards)
    {
        var golden = GoldenCase.Load(name);
        var paths = Split(golden.ResultsPath, shards);

        var (whole, accWhole) = golden.Run(threads: 2);
        var (sharded, accSharded) = golden.Run(threads: 2, resultsPaths: paths);

        BitAssert.Equal([.. whole.Stats], [.. sharded.Stats], $"{name} stats");
        BitAssert.Equal(golden.Stats, [.. sharded.Stats], $"{name} stats vs pycocotools");
        BitAssert.Equal(accWhole.Precision, accSharded.Precision, $"{name} precision");
        BitAssert.Equal(accWhole.Recall, accSharded.Recall, $"{name} recall");
    }

    [Fact]
    public void Empty_shards_are_allowed()
    {
        var golden = GoldenCase.Load("basic_mixed");
        string empty = dir.Write("empty.json", "[]");
        var (whole, _) = golden.Run(threads: 1);
        var (withEmpty, _) = golden.Run(threads: 1, resultsPaths: [empty, golden.ResultsPath, empty]);
        BitAssert.Equal([.. whole.Stats], [.. withEmpty.Stats], "stats");
    }

    [Fact]
    public void In_memory_detections_score_like_the_file()
    {
        var golden = GoldenCase.Load("rand_02_crowd_heavy");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var fromFile = CocoResults.Load(golden.ResultsPath, gt);
        var inMemory = CocoResults.FromDetections(Enumerable.Range(0, fromFile.Count).Select(i => fromFile[i]), gt);

        var summary = new CocoEvaluator(gt, inMemory, golden.Params, 1).Run();
        BitAssert.Equal(golden.Stats, [.. summary.Stats], "stats");
    }

    /// <summary>Splits a results array into consecutive parts, copying each record's JSON text unchanged.</summary>
    private string[] Split(string resultsPath, int parts)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(resultsPath));
        var records = doc.RootElement.EnumerateArray().ToArray();
        var paths = new string[parts];
        int per = (records.Length + parts - 1) / parts;
        for (int p = 0; p < parts; p++)
        {
            paths[p] = Path.Combine(dir.Path, $"part{p}.json");
            using var stream = File.Create(paths[p]);
            using var writer = new Utf8JsonWriter(stream);
            writer.WriteStartArray();
            foreach (var r in records.Skip(p * per).Take(per))
            {
                r.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return paths;
    }
}
