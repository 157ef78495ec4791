using System.Globalization;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary><c>rfcnperf eval score</c> end to end on golden cases and on bad files.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class EvalScoreCommandTests : IDisposable
{
    // summarize()'s lines for basic_mixed, printed by Python with pycocotools' format string and the golden stats.
    private static readonly string[] BasicMixedLines =
    [
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.403",
        " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.685",
        " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.520",
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.550",
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.251",
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.383",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.550",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.550",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.550",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.450",
        " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750",
    ];

    private readonly string tempDir = Path.Combine(Path.GetTempPath(), "rfcnperf-cli-" + Guid.NewGuid().ToString("N"));

    public EvalScoreCommandTests() => Directory.CreateDirectory(tempDir);

    private static string Case(string name, string file) => Path.Combine(TestPaths.CocoEvalCases, name, file);

    public void Dispose() => Directory.Delete(tempDir, recursive: true);

    [Fact]
    public void Prints_the_twelve_pycocotools_lines()
    {
        var (code, output, error) = CliRunner.Run("eval", "score", "--annotations", Case("basic_mixed", "gt.json"), "--results", Case("basic_mixed", "dt.json"));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Equal(BasicMixedLines, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Json_output_holds_the_exact_doubles()
    {
        string json = Path.Combine(tempDir, "out.json");
        var (code, _, _) = CliRunner.Run("eval", "score", "--annotations", Case("large_tiled5k_36k", "gt.json"), "--results", Case("large_tiled5k_36k", "dt.json"), "--json", json);
        Assert.Equal(0, code);

        using var expected = JsonDocument.Parse(File.ReadAllBytes(Case("large_tiled5k_36k", "expected.json")));
        using var actual = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = actual.RootElement;
        double[] want = [.. expected.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        double[] got = [.. root.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(want.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"], root.GetProperty("statNames").EnumerateArray().Select(e => e.GetString()));

        var perCategory = root.GetProperty("perCategory").EnumerateArray().ToArray();
        var expectedPerCategory = expected.RootElement.GetProperty("per_category").EnumerateArray().ToArray();
        Assert.Equal(80, perCategory.Length);
        for (int k = 0; k < perCategory.Length; k++)
        {
            Assert.Equal(expectedPerCategory[k].GetProperty("catId").GetInt64(), perCategory[k].GetProperty("id").GetInt64());
            Assert.Equal(
                BitConverter.DoubleToInt64Bits(expectedPerCategory[k].GetProperty("AP").GetDouble()),
                BitConverter.DoubleToInt64Bits(perCategory[k].GetProperty("AP").GetDouble()));
        }

        Assert.Equal("person", perCategory[0].GetProperty("name").GetString());
        var timings = root.GetProperty("timings");
        foreach (string stage in new[] { "loadGroundTruth", "loadResults", "evaluate", "accumulate", "summarize", "total" })
        {
            Assert.True(timings.GetProperty(stage).GetDouble() >= 0, stage);
        }
    }

    [Fact]
    public void Repeated_results_options_are_scored_together()
    {
        string all = Case("basic_mixed", "dt.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(all));
        var records = doc.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
        string first = Path.Combine(tempDir, "a.json");
        string second = Path.Combine(tempDir, "b.json");
        File.WriteAllText(first, "[" + string.Join(",", records[..4]) + "]");
        File.WriteAllText(second, "[" + string.Join(",", records[4..]) + "]");

        var (code, output, _) = CliRunner.Run("eval", "score", "--annotations", Case("basic_mixed", "gt.json"), "--results", first, "--results", second);

        Assert.Equal(0, code);
        Assert.Equal(BasicMixedLines, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Per_class_table_follows_the_summary()
    {
        var (code, output, _) = CliRunner.Run("eval", "score", "--annotations", Case("basic_mixed", "gt.json"), "--results", Case("basic_mixed", "dt.json"), "--per-class", "--sort", "id");

        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12 + 1 + 3, lines.Length);
        Assert.Equal("id  name      AP    AP50    AP75     APs     APm     APl   AR100", lines[12]);
        Assert.Equal(" 1  cat1   0.434   0.554   0.554  -1.000   0.303   0.900   0.500", lines[13]);
    }

    [Fact]
    public void A_bad_file_is_one_error_line_and_exit_code_2()
    {
        string gt = Path.Combine(tempDir, "gt.json");
        File.WriteAllText(gt, File.ReadAllText(Case("basic_mixed", "gt.json"))[..300]);

        var (code, output, error) = CliRunner.Run("eval", "score", "--annotations", gt, "--results", Case("basic_mixed", "dt.json"));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"error: {gt}: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.EndsWith("(the file ends before the JSON is complete: truncated?)", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_images_fail_unless_dropped()
    {
        string dt = Path.Combine(tempDir, "dt.json");
        File.WriteAllText(dt, """[{"image_id": 424242, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.5}]""");
        string gt = Case("basic_mixed", "gt.json");

        var failed = CliRunner.Run("eval", "score", "--annotations", gt, "--results", dt);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("results[0].image_id: image id 424242 is not in the ground truth", failed.Err, StringComparison.Ordinal);

        var dropped = CliRunner.Run("eval", "score", "--annotations", gt, "--results", dt, "--drop-unknown-images");
        Assert.Equal(0, dropped.ExitCode);
        Assert.Equal($"note: dropped 1 result(s) whose image_id is not in {gt}", dropped.Err.Trim());
        Assert.Equal(12, dropped.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("--max-dets", "1,x,100", "--max-dets: 'x' is not an integer")]
    [InlineData("--max-dets", "1,10", "--max-dets: give at least 3 values")]
    [InlineData("--use-cats", "maybe", "--use-cats: expected true or false, found 'maybe'")]
    [InlineData("--sort", "speed", "--sort: expected one of")]
    public void Bad_option_values_are_user_errors(string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("eval", "score", "--annotations", Case("basic_mixed", "gt.json"), "--results", Case("basic_mixed", "dt.json"), option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_reach_the_evaluator()
    {
        // use_cats_0 expects class-agnostic numbers; with --use-cats false the CLI must print them.
        var (code, output, _) = CliRunner.Run("eval", "score", "--annotations", Case("use_cats_0", "gt.json"), "--results", Case("use_cats_0", "dt.json"), "--use-cats", "false");
        Assert.Equal(0, code);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Case("use_cats_0", "expected.json")));
        double ap = expected.RootElement.GetProperty("stats")[0].GetDouble();
        Assert.EndsWith("= " + ap.ToString("F3", CultureInfo.InvariantCulture), output.Split('\n')[0], StringComparison.Ordinal);
    }
}
