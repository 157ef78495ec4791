using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// <c>rfcnperf eval score --iou-type segm|keypoints</c> end to end: the golden cases' printed lines and exact stats,
/// the options of keypoints, and every refusal as one error line, exit code 2 and nothing written.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class EvalScoreSegmKpCommandTests : IDisposable
{
    // segm_edge_synthetic's images: 1 is 64 x 48 (w x h), 2 is 100 x 100; categories 1, 2, 3.
    private const string Mask = "{\"size\": [48, 64], \"counts\": \"R3b0n000000000000000000000000000000000000000000000000000000nb1\"}";

    private readonly string tempDir = Path.Combine(Path.GetTempPath(), "rfcnperf-cli-" + Guid.NewGuid().ToString("N"));

    public EvalScoreSegmKpCommandTests() => Directory.CreateDirectory(tempDir);

    public void Dispose() => Directory.Delete(tempDir, recursive: true);

    private static string Case(string name, string file) => Path.Combine(TestPaths.CocoEvalCasesSegmKp, name, file);

    [Theory]
    [InlineData("segm_real_rle", "segm")]
    [InlineData("segm_real_bbox_branch", "segm")]
    [InlineData("kp_real_persons", "keypoints")]
    [InlineData("kp_results_with_bbox", "keypoints")]
    public void Prints_pycocotools_lines_and_writes_the_exact_stats(string name, string iouType)
    {
        string json = Path.Combine(tempDir, name + ".json");
        var (code, output, error) = CliRunner.Run("eval", "score", "--iou-type", iouType, "--annotations", Case(name, "gt.json"), "--results", Case(name, "dt.json"), "--json", json);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Case(name, "expected.json")));
        Assert.Equal(expected.RootElement.GetProperty("summary_printed").EnumerateArray().Select(l => l.GetString()), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var written = JsonDocument.Parse(File.ReadAllBytes(json));
        Assert.Equal(iouType, written.RootElement.GetProperty("iouType").GetString());
        Assert.Equal(
            expected.RootElement.GetProperty("stats_hex").EnumerateArray().Select(h => h.GetString()),
            written.RootElement.GetProperty("stats").EnumerateArray().Select(s => HexOf(s.GetDouble())));
        Assert.Equal(expected.RootElement.GetProperty("stats_names").EnumerateArray().Select(n => n.GetString()), written.RootElement.GetProperty("statNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public void Keypoint_score_files_compare()
    {
        string a = Path.Combine(tempDir, "a.json"), b = Path.Combine(tempDir, "b.json");
        Assert.Equal(0, CliRunner.Run("eval", "score", "--iou-type", "keypoints", "--annotations", Case("kp_real_persons", "gt.json"), "--results", Case("kp_real_persons", "dt.json"), "--json", a).ExitCode);
        Assert.Equal(0, CliRunner.Run("eval", "score", "--iou-type", "keypoints", "--annotations", Case("kp_results_with_bbox", "gt.json"), "--results", Case("kp_results_with_bbox", "dt.json"), "--json", b).ExitCode);

        var (code, output, error) = CliRunner.Run("eval", "compare", a, b);

        Assert.True(code == 0, error);
        Assert.Contains("| AR50 (AR @.50 all) |", output, StringComparison.Ordinal);
        Assert.Contains("| APm (AP @[.50:.95] medium) |", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Keypoints_without_categories_warn_and_score_as_pycocotools()
    {
        var (code, output, error) = CliRunner.Run("eval", "score", "--iou-type", "keypoints", "--use-cats", "false", "--annotations", Case("kp_use_cats_0", "gt.json"), "--results", Case("kp_use_cats_0", "dt.json"));

        Assert.Equal(0, code);
        Assert.StartsWith("warning: --use-cats false with keypoints: pycocotools' computeOks", error, StringComparison.Ordinal);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Case("kp_use_cats_0", "expected.json")));
        Assert.Equal(expected.RootElement.GetProperty("summary_printed").EnumerateArray().Select(l => l.GetString()), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Keypoint_sigmas_are_given_as_used()
    {
        // The case's 14 sigmas, typed as decimals: each parses to the double pycocotools was given.
        var (code, output, _) = CliRunner.Run(
            "eval", "score", "--iou-type", "keypoints", "--kpt-sigmas", "0.05,0.031,0.031,0.04,0.04,0.08,0.08,0.07,0.07,0.06,0.06,0.1,0.1,0.09",
            "--annotations", Case("kp_custom_sigmas_14", "gt.json"), "--results", Case("kp_custom_sigmas_14", "dt.json"));

        Assert.Equal(0, code);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Case("kp_custom_sigmas_14", "expected.json")));
        Assert.Equal(expected.RootElement.GetProperty("summary_printed").EnumerateArray().Select(l => l.GetString()), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("segm", "[]")]
    [InlineData("keypoints", "[]")]
    public void An_empty_results_list_scores_zero_where_there_is_ground_truth(string iouType, string results)
    {
        string name = iouType == "segm" ? "segm_edge_synthetic" : "kp_real_persons";
        string dt = Path.Combine(tempDir, "empty.json");
        File.WriteAllText(dt, results);

        var (code, output, error) = CliRunner.Run("eval", "score", "--iou-type", iouType, "--annotations", Case(name, "gt.json"), "--results", dt);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(iouType == "segm" ? 12 : 10, lines.Length);
        Assert.All(lines, l => Assert.True(l.EndsWith("= 0.000", StringComparison.Ordinal) || l.EndsWith("= -1.000", StringComparison.Ordinal), l));
    }

    [Theory]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"segmentation\": [[1, 1, 10, 1, 10, 10]]}]",
        "results[0].segmentation: a polygon list and no bbox: pycocotools' loadRes computes such a result's area from its mask")]
    [InlineData("segm", "[{\"image_id\": 2, \"category_id\": 1, \"score\": 0.5, \"segmentation\": " + Mask + "}]",
        "results[0].segmentation.size: [48, 64] differs from image 2's [height, width] [100, 100]")]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 1, 5, 5], \"segmentation\": " + Mask + "}, {\"image_id\": 1, \"category_id\": 1, \"score\": 0.4, \"bbox\": [1, 1, 5, 5]}]",
        "results[1].segmentation: missing: a segm evaluation needs every result's mask")]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 1, 5, 5], \"segmentation\": " + Mask + "}, {\"image_id\": 1, \"category_id\": 1, \"score\": 0.4, \"segmentation\": " + Mask + "}]",
        "results[1].bbox: missing, but the first result has one")]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"segmentation\": " + Mask + "}, {\"image_id\": 1, \"category_id\": 1, \"score\": 0.4, \"bbox\": [1, 1, 5, 5], \"segmentation\": [[1, 1, 10, 1, 10, 10]]}]",
        "results[1].segmentation: a polygon list, but the first result has no bbox")]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 1, 5, 5]}]",
        "results[0].segmentation: missing")]
    [InlineData("segm", "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"segmentation\": {\"size\": [48, 64], \"counts\": \"R3b0\"}}]",
        "results[0].segmentation.counts: the runs cover")]
    [InlineData("keypoints", "[{\"image_id\": 139, \"category_id\": 1, \"score\": 0.5, \"keypoints\": [1, 2, 2, 3]}]",
        "results[0].keypoints: expected x, y, v for each keypoint (a non-zero multiple of 3 numbers), found 4 numbers")]
    [InlineData("keypoints", "[{\"image_id\": 139, \"category_id\": 1, \"score\": 0.5, \"keypoints\": [1, 2, 2, 3, 4, 2]}]",
        "results[0].keypoints: 6 numbers, but category 1 'person' declares 17 keypoints (51 numbers: x, y, v each)")]
    [InlineData("keypoints", "[{\"image_id\": 139, \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 1, 5, 5]}]",
        "results[0].keypoints: missing")]
    public void Bad_results_are_one_error_line_and_nothing_written(string iouType, string results, string expected)
    {
        string name = iouType == "segm" ? "segm_edge_synthetic" : "kp_real_persons";
        string dt = Path.Combine(tempDir, "dt.json");
        string json = Path.Combine(tempDir, "out.json");
        File.WriteAllText(dt, results);

        var (code, output, error) = CliRunner.Run("eval", "score", "--iou-type", iouType, "--annotations", Case(name, "gt.json"), "--results", dt, "--json", json);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Theory]
    [InlineData("--iou-type", "box", "--iou-type: expected bbox, segm or keypoints, found 'box'")]
    [InlineData("--kpt-sigmas", "0.1,x", "--kpt-sigmas: only for --iou-type keypoints")]
    public void Bad_option_values_are_user_errors(string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("eval", "score", "--annotations", Case("segm_edge_synthetic", "gt.json"), "--results", Case("segm_edge_synthetic", "dt.json"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sigmas_that_do_not_fit_the_keypoints_are_refused()
    {
        var (code, _, error) = CliRunner.Run("eval", "score", "--iou-type", "keypoints", "--kpt-sigmas", "0.1,0.2", "--annotations", Case("kp_real_persons", "gt.json"), "--results", Case("kp_real_persons", "dt.json"));

        Assert.Equal(2, code);
        Assert.Contains("51 keypoint numbers (17 keypoints), expected one sigma per keypoint and 2 sigmas are given", error, StringComparison.Ordinal);
    }

    private static string HexOf(double value)
    {
        // Python's float.hex() of a finite double: the tests compare bits, so format them the same way.
        if (value == 0)
        {
            return BitConverter.DoubleToInt64Bits(value) < 0 ? "-0x0.0p+0" : "0x0.0p+0";
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        string sign = bits < 0 ? "-" : string.Empty;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        return exponent == 0
            ? $"{sign}0x0.{mantissa:x13}p-1022"
            : $"{sign}0x1.{mantissa:x13}p{(exponent - 1023 >= 0 ? "+" : string.Empty)}{exponent - 1023}";
    }
}
