using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Accuracy;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// <c>rfcnperf eval run</c> and <c>eval compare</c> end to end: the report's stats are what <c>eval score</c> prints
/// for the saved results files, and a run killed midway (a real process, SIGKILL) resumes to the same results.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EvalRunCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-cli-evalrun-").FullName;

    /// <summary>The NanoDet FP32/INT8 pair when the mirror is configured, else yolov8n alone (npm, as a fresh machine has).</summary>
    private static string[] Models => TestPaths.ModelMirror is { } mirror
        ? [Path.Combine(mirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-fp32.onnx"), Path.Combine(mirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-int8.onnx")]
        : ["yolov8n"];

    /// <summary>The catalog name the first model's results are filed under.</summary>
    private static string FirstName => TestPaths.ModelMirror is null ? "yolov8n" : "nanodet-m-416";

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in /tmp is harmless.
        }
    }

    [Fact]
    public void ReportStats_EqualEvalScoreOnTheSavedResultsFiles()
    {
        var outDir = Path.Combine(dir, "report");
        var (exit, stdout, stderr) = CliRunner.Run([.. "eval run".Split(' '), .. Models.SelectMany(m => new[] { "--model", m }), "--coco", TestPaths.CocoDir,
            "--limit", "5", "--out-dir", outDir, "--intra", "1", "--visualize", "0"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("report.md", stdout, StringComparison.Ordinal);

        var runs = ReportJson.ReadRuns(Path.Combine(outDir, "report.json"));
        Assert.Equal(Models.Length, runs.Count);
        foreach (var run in runs)
        {
            var json = Path.Combine(dir, run.Model.Name + ".score.json");
            var ids = string.Join(',', run.EvaluatedImageIds!.Select(i => i.ToString(CultureInfo.InvariantCulture)));
            var (scoreExit, printed, _) = CliRunner.Run("eval", "score", "--annotations", TestPaths.CocoAnnotations,
                "--results", Path.Combine(outDir, run.Model.Name, run.ResultsFile), "--img-ids", ids, "--json", json);
            Assert.Equal(0, scoreExit);

            Assert.Equal(run.StatLines, printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            var stats = doc.RootElement.GetProperty("stats").EnumerateArray().Select(e => BitConverter.DoubleToInt64Bits(e.GetDouble()));
            Assert.Equal(run.Stats.Select(BitConverter.DoubleToInt64Bits), stats);
        }

        // eval compare reads the report, a run.json and the eval score output alike.
        var last = runs[^1].Model.Name;
        var (compareExit, table, _) = CliRunner.Run("eval", "compare", Path.Combine(outDir, "report.json"), Path.Combine(dir, last + ".score.json"));
        Assert.Equal(0, compareExit);
        Assert.Contains("| AP (AP @[.50:.95] all) |", table, StringComparison.Ordinal);
        Assert.Contains(last + ".score", table, StringComparison.Ordinal);
        Assert.Contains(runs.Count == 2 ? $"Δ {last} vs {runs[0].Model.Name}" : $"Δ {last}.score vs {last}", table, StringComparison.Ordinal);
    }

    [Fact]
    public void KilledMidway_TheSameCommandResumes_AndEndsWithTheResultsOfAnUninterruptedRun()
    {
        const int images = 40;
        string[] Args(string outDir) =>
            ["eval", "run", "--model", Models[0], "--coco", TestPaths.CocoDir, "--limit", images.ToString(CultureInfo.InvariantCulture),
             "--out-dir", outDir, "--intra", "1", "--visualize", "0"];
        var whole = Path.Combine(dir, "whole");
        Assert.Equal(0, CliRunner.Run(Args(whole)).ExitCode);

        // A real process, killed (SIGKILL: no chance to clean up) when it reports its first quarter of the images done.
        var killed = Path.Combine(dir, "killed");
        var checkpoint = Path.Combine(killed, FirstName, FirstName + ".checkpoint.jsonl");
        using (var process = StartCli(Args(killed)))
        {
            var log = new List<string>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                log.Add(line);
                if (line.Contains($"/{images} images", StringComparison.Ordinal))
                {
                    process.Kill(entireProcessTree: true);
                    break;
                }
            }

            process.WaitForExit();
            Assert.True(process.ExitCode != 0, "the run was not killed: " + string.Join('\n', log));
        }

        var done = CheckpointImages(checkpoint);
        Assert.InRange(done, images / 4, images - 1);
        Assert.False(File.Exists(Path.Combine(killed, "report.json")));

        var (exit, stdout, stderr) = CliRunner.Run(Args(killed));
        Assert.True(exit == 0, stderr);
        Assert.Contains($"resuming an interrupted pass: {CheckpointImagesBefore(stdout)} of {images} images already done", stdout, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(whole, FirstName, FirstName + ".results.json")),
            File.ReadAllBytes(Path.Combine(killed, FirstName, FirstName + ".results.json")));
        Assert.Equal(
            ReportJson.ReadRuns(Path.Combine(whole, "report.json"))[0].Stats,
            ReportJson.ReadRuns(Path.Combine(killed, "report.json"))[0].Stats);
    }

    [Fact]
    public void UnknownModel_IsOneErrorLine_AndExitCode2()
    {
        var (exit, _, stderr) = CliRunner.Run("eval", "run", "--model", "no-such-model", "--coco", TestPaths.CocoDir, "--out-dir", Path.Combine(dir, "x"));

        Assert.Equal(CliErrors.UserError, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: unknown model 'no-such-model'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void CompareOfAMissingFile_IsOneErrorLine_AndExitCode2()
    {
        var (exit, _, stderr) = CliRunner.Run("eval", "compare", Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json"));

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Contains("a.json: file not found", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private static int CheckpointImagesBefore(string stdout)
    {
        const string marker = "resuming an interrupted pass: ";
        var at = stdout.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, stdout);
        var rest = stdout[(at + marker.Length)..];
        return int.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    // Finished lines after the header (one image per line at batch 1); a torn last line is not counted.
    private static int CheckpointImages(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var text = new StreamReader(stream).ReadToEnd();
        return Math.Max(0, text.Count(c => c == '\n') - 1);
    }

    private static Process StartCli(string[] args) =>
        CliRunner.Start(args, new Dictionary<string, string?> { ["RFCNPERF_ASSET_MIRROR"] = TestPaths.ModelMirror ?? string.Empty });
}
