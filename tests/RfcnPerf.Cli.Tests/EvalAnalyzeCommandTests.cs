using System.Text.Json;
using System.Text.Json.Nodes;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary><c>rfcnperf eval analyze</c> end to end on golden cases, and on files that do not belong together.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class EvalAnalyzeCommandTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static string Case(string name, string file) => Path.Combine(TestPaths.CocoEvalCases, name, file);

    [Fact]
    public void Two_files_give_every_section_the_charts_and_a_json_whose_agreement_partitions_both()
    {
        var gt = Case("real_val2017_subset_synth", "gt.json");
        var baseline = Case("real_val2017_subset_synth", "dt.json");

        // The candidate: every third box dropped, every fifth moved by a quarter of its width.
        var boxes = JsonNode.Parse(File.ReadAllText(baseline))!.AsArray();
        var candidate = new JsonArray();
        for (int i = 0; i < boxes.Count; i++)
        {
            if (i % 3 == 2)
            {
                continue;
            }

            var box = boxes[i]!.DeepClone();
            if (i % 5 == 0)
            {
                box["bbox"]![0] = box["bbox"]![0]!.GetValue<double>() + (box["bbox"]![2]!.GetValue<double>() / 4);
            }

            candidate.Add(box);
        }

        var candidatePath = temp.Write("candidate.results.json", candidate.ToJsonString());
        var json = temp.File("analysis.json");
        var outDir = temp.File("out");

        var (code, output, error) = CliRunner.Run("eval", "analyze", "--annotations", gt, "--results", baseline, "--vs", candidatePath, "--json", json, "--out-dir", outDir, "--agreement-threshold", "0.3");

        Assert.Equal(0, code);
        foreach (var heading in new[] { "## Errors by type (TIDE)", "## Score threshold: precision, recall and F1", "## Calibration", "## Confusion between classes", "## Agreement: candidate against dt" })
        {
            Assert.Contains(heading, output, StringComparison.Ordinal);
        }

        Assert.Contains("wrote", error, StringComparison.Ordinal);
        foreach (var chart in new[] { "tide-errors.png", "f1-vs-threshold.png", "reliability.png", "agreement-candidate.png" })
        {
            Assert.True(new FileInfo(Path.Combine(outDir, "charts", chart)).Length > 10_000, chart);
        }

        Assert.Equal(output, File.ReadAllText(Path.Combine(outDir, "analysis.md")));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = doc.RootElement;
        Assert.Equal("rfcnperf.analysis-report", root.GetProperty("kind").GetString());
        Assert.Equal(2, root.GetProperty("diagnostics").GetArrayLength());
        var totals = root.GetProperty("agreements")[0].GetProperty("agreement").GetProperty("totals");
        int Count(string name) => totals.GetProperty(name).GetInt32();
        Assert.Equal(boxes.Count(b => b!["score"]!.GetValue<double>() >= 0.3), Count("baseline"));
        Assert.Equal(candidate.Count(b => b!["score"]!.GetValue<double>() >= 0.3), Count("candidate"));
        Assert.Equal(Count("kept") + Count("moved") + Count("relabelled") + Count("lost"), Count("baseline"));
        Assert.True(Count("lost") > 0 && Count("moved") > 0, "the dropped boxes are lost and the shifted ones moved");
        var confusion = root.GetProperty("diagnostics")[0].GetProperty("analysis").GetProperty("confusion");
        Assert.Equal(81, confusion.GetProperty("counts").GetArrayLength());
        Assert.Equal(81, confusion.GetProperty("normalized")[0].GetArrayLength());
    }

    [Fact]
    public void Results_of_another_annotation_file_are_one_error_line_and_exit_code_2()
    {
        // val2017 image ids against a ground truth of other images.
        var (code, output, error) = CliRunner.Run("eval", "analyze", "--annotations", Case("basic_mixed", "gt.json"), "--results", Case("real_val2017_subset_synth", "dt.json"));

        AssertOneErrorLine(code, output, error, "is not in the ground truth");
    }

    [Fact]
    public void Results_of_a_class_the_ground_truth_lacks_are_one_error_line_and_exit_code_2()
    {
        var gt = Case("basic_mixed", "gt.json");
        var image = JsonDocument.Parse(File.ReadAllText(gt)).RootElement.GetProperty("images")[0].GetProperty("id").GetInt64();
        var results = temp.Write("dt.json", $$"""[{"image_id":{{image}},"category_id":999,"bbox":[1,2,3,4],"score":0.5}]""");

        var (code, output, error) = CliRunner.Run("eval", "analyze", "--annotations", gt, "--results", results);

        AssertOneErrorLine(code, output, error, "category_id 999 is not a category of the ground truth");
    }

    [Fact]
    public void A_vs_file_of_other_images_is_one_error_line_and_exit_code_2()
    {
        // One file with the detections of the first half of the images, the other with those of the second half.
        var gt = Case("large_tiled5k_36k", "gt.json");
        var ids = JsonDocument.Parse(File.ReadAllText(gt)).RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToArray();
        var firstHalf = ids.Take(ids.Length / 2).ToHashSet();
        var boxes = JsonNode.Parse(File.ReadAllText(Case("large_tiled5k_36k", "dt.json")))!.AsArray();
        var a = new JsonArray([.. boxes.Where(b => firstHalf.Contains(b!["image_id"]!.GetValue<long>())).Select(b => b!.DeepClone())]);
        var b = new JsonArray([.. boxes.Where(b => !firstHalf.Contains(b!["image_id"]!.GetValue<long>())).Select(b => b!.DeepClone())]);

        var (code, output, error) = CliRunner.Run("eval", "analyze", "--annotations", gt, "--results", temp.Write("a.json", a.ToJsonString()), "--vs", temp.Write("b.json", b.ToJsonString()));

        AssertOneErrorLine(code, output, error, "the two files were produced on different images");
    }

    private static void AssertOneErrorLine(int code, string output, string error, string says)
    {
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }
}
