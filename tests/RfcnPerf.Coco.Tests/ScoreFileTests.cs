using System.Text;

namespace RfcnPerf.Coco.Tests;

/// <summary>The eval score --json document and the results list: written and read by the evaluator only.</summary>
public sealed class ScoreFileTests
{
    [Fact]
    public void Score_file_round_trips_the_exact_stats()
    {
        var golden = GoldenCase.Load("basic_mixed");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var dt = CocoResults.Load(golden.ResultsPath, gt);
        var summary = new CocoEvaluator(gt, dt).Run();
        var timings = new CocoTimings(TimeSpan.FromMilliseconds(1.5), TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(5));
        var file = CocoScoreFile.From(golden.GroundTruthPath, [golden.ResultsPath], dt, summary, timings);

        using var stream = new MemoryStream();
        file.Write(stream);
        var back = CocoScoreFile.Parse(stream.ToArray(), "mem");

        BitAssert.Equal(golden.Stats, [.. back.Stats], "stats read back");
        Assert.Equal(summary.StatNames, back.StatNames);
        Assert.Equal(summary.PerCategory, back.PerCategory);
        Assert.Equal(dt.Count, back.Detections);
        Assert.Equal([1L, 2L, 3L], back.Params.CatIds);
        Assert.Equal([1, 10, 100], back.Params.MaxDets);
        Assert.Equal(timings.Evaluate.TotalSeconds, back.Timings!.Evaluate.TotalSeconds);
    }

    [Theory]
    [InlineData("[]", "field 'the document': expected an object, found an array")]
    [InlineData("{\"stats\":[1]}", "field 'params' is missing")]
    [InlineData("{\"params\":{},\"stats\":[\"x\"],\"statNames\":[]}", "field 'stats[0]': expected a number, found a string")]
    [InlineData("{\"params\":{},\"stats\":[],\"statNames\":[]}", "expected the 12 COCO stats and their 12 names, found 0 stats and 0 names")]
    [InlineData("{", "not valid JSON")]
    public void Malformed_score_file_names_file_and_field(string json, string expected)
    {
        var ex = Assert.Throws<CocoException>(() => CocoScoreFile.Parse(Encoding.UTF8.GetBytes(json), "score.json"));
        Assert.StartsWith("score.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_writer_keeps_float_text_and_reads_back()
    {
        using var stream = new MemoryStream();
        using (var writer = new CocoResultsWriter(stream))
        {
            writer.Add(42, 1, 0.1f, 2f, 3.5f, 4f, 0.9f);
            writer.Add(new CocoDetection(42, 3, 0.1, 2, 3.5, 4, 0.25));
        }

        Assert.Equal(
            "[{\"image_id\":42,\"category_id\":1,\"bbox\":[0.1,2,3.5,4],\"score\":0.9},{\"image_id\":42,\"category_id\":3,\"bbox\":[0.1,2,3.5,4],\"score\":0.25}]",
            Encoding.UTF8.GetString(stream.ToArray()));
    }
}
