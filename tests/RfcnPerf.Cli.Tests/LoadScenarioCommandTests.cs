using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// <c>rfcnperf load --scenario</c> from the command line: user mistakes are one line and exit 2 before anything is
/// loaded, and a run too short for early stopping is INVALID, says why, and writes its summary.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LoadScenarioCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-scenario-cli-").FullName;

    private static string Images => Path.Combine(TestPaths.BundledSample, "val2017");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("--scenario", "bogus", "--model", "yolov8n", "--scenario must be one of single-stream | multi-stream | server | offline, got 'bogus'")]
    [InlineData("--scenario", "server", "--model", "yolov8n", "--target-qps", "0", "--target-latency-ms", "100", "--target-qps must be positive, got 0")]
    [InlineData("--scenario", "server", "--model", "yolov8n", "--target-qps", "-2", "--target-latency-ms", "100", "--target-qps must be positive, got -2")]
    [InlineData("--scenario", "server", "--model", "yolov8n", "--target-qps", "5", "--target-latency-ms", "0", "--target-latency-ms must be positive, got 0")]
    [InlineData("--scenario", "single-stream", "--model", "yolov8n", "--performance-sample-count", "100000", "--performance-sample-count must be between 1 and the 68 images available, got 100000")]
    [InlineData("--scenario", "single-stream", "--model", "yolov8n", "--url", "http://127.0.0.1:1/v1/models/x", "--scenario takes either --model (in process) or --url (a server), not both")]
    [InlineData("--scenario", "single-stream", "--find-peak", "--model", "yolov8n", "--find-peak works with --scenario server only")]
    [InlineData("--scenario", "server", "--model", "yolov8n", "--target-latency-ms", "100", "--scenario server needs --target-qps")]
    [InlineData("--scenario", "single-stream", "--model", "yolov8n", "--baseline", "/nonexistent/summary.json", "--baseline /nonexistent/summary.json: not a readable JSON file")]
    [InlineData("--scenario", "offline", "--mode", "fast", "--model", "yolov8n", "--mode must be performance or accuracy, got 'fast'")]
    public void User_errors_are_one_line_and_exit_2(params string[] argsAndMessage)
    {
        var (exit, _, stderr) = CliRunner.Run(["load", "--images", Images, "--out-dir", dir, .. argsAndMessage[..^1]]);
        Assert.Equal(2, exit);
        Assert.Contains(argsAndMessage[^1], stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Accuracy_mode_without_an_annotation_file_is_one_line_and_exit_2()
    {
        // A bare image folder has no ids to score against; a COCO folder without its annotation file neither.
        var (exit, _, stderr) = CliRunner.Run("load", "--scenario", "single-stream", "--mode", "accuracy", "--model", "yolov8n", "--images", Images, "--out-dir", dir);
        Assert.Equal(2, exit);
        Assert.Contains("--mode accuracy maps each image to its COCO id through the annotation file", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));

        var bare = Directory.CreateDirectory(Path.Combine(dir, "no-annotations", "val2017")).Parent!.FullName;
        File.Copy(Directory.EnumerateFiles(Images, "*.jpg").First(), Path.Combine(bare, "val2017", "000000000001.jpg"));
        (exit, _, stderr) = CliRunner.Run("load", "--scenario", "offline", "--mode", "accuracy", "--model", "yolov8n", "--coco", bare, "--out-dir", dir);
        Assert.Equal(2, exit);
        Assert.Contains("--mode accuracy: annotation file not found at " + Path.Combine(bare, "annotations", "instances_val2017.json"), stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Accuracy_mode_scores_every_annotated_image_as_eval_score_scores_the_file_it_wrote()
    {
        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "single-stream", "--mode", "accuracy", "--model", "yolov8n",
            "--coco", TestPaths.BundledSample, "--out-dir", dir);
        Assert.True(exit == 0, stdout + stderr);
        var results = Path.Combine(dir, "single-stream-yolov8n-accuracy-results.json");
        var annotations = Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json");
        using var gt = JsonDocument.Parse(File.ReadAllText(annotations));
        var annotated = gt.RootElement.GetProperty("images").GetArrayLength();
        Assert.Contains($"accuracy mode: {annotated} of {annotated} images once each", stdout, StringComparison.Ordinal);

        var scoreJson = Path.Combine(dir, "score.json");
        var (scoreExit, scoreOut, scoreErr) = CliRunner.Run("eval", "score", "--annotations", annotations, "--results", results, "--json", scoreJson);
        Assert.True(scoreExit == 0, scoreOut + scoreErr);

        // The same 12 lines, printed and saved, and the same doubles bit for bit.
        var lines = scoreOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);
        Assert.Contains(string.Join('\n', lines), stdout.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith(string.Join('\n', lines) + "\n", File.ReadAllText(Path.Combine(dir, "single-stream-yolov8n-accuracy-summary.txt")), StringComparison.Ordinal);
        using var score = JsonDocument.Parse(File.ReadAllText(scoreJson));
        using var ours = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "single-stream-yolov8n-accuracy-summary.json")));
        double[] want = [.. score.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        double[] got = [.. ours.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(want.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(score.RootElement.GetProperty("detections").GetInt32(), ours.RootElement.GetProperty("detections").GetInt32());
        Assert.Equal(annotated, ours.RootElement.GetProperty("images").GetInt32());
        Assert.False(ours.RootElement.GetProperty("scored_on_loaded_images_only").GetBoolean());

        // A detector that finds nothing scores 0 or -1 everywhere; yolov8n on these images does not.
        Assert.InRange(got[0], 0.2, 0.9);
    }

    [Fact]
    public void A_run_too_short_for_early_stopping_is_INVALID_and_says_why()
    {
        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "single-stream", "--model", "yolov8n", "--images", Images,
            "--min-duration", "0", "--min-queries", "12", "--performance-sample-count", "8", "--out-dir", dir);
        Assert.True(exit == 1, stdout + stderr);
        Assert.Contains("Result is : INVALID", stdout, StringComparison.Ordinal);
        Assert.Contains(" * early stopping: 12 queries, 64 needed at the 90.0th percentile", stdout, StringComparison.Ordinal);
        Assert.Contains(" * Need to process at least 64 queries for early stopping.", stdout, StringComparison.Ordinal);
        var summary = File.ReadAllText(Path.Combine(dir, "single-stream-yolov8n-summary.txt"));
        Assert.Contains("min_duration (ms): 0   (--min-duration)", summary, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "single-stream-yolov8n-summary.json")));
        Assert.Equal("INVALID", json.RootElement.GetProperty("result").GetString());
        Assert.Equal(12, json.RootElement.GetProperty("query_count").GetInt64());
        Assert.Equal(8, json.RootElement.GetProperty("settings").GetProperty("performance_sample_count").GetInt32());
        Assert.True(json.RootElement.GetProperty("percentiles_ns").GetProperty("0.9").GetInt64() > 0);
    }
}
