using RfcnPerf.Core.Data;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// What a user of a fresh clone sees: commands fall back to the bundled COCO sample and say so in one line, and
/// <c>assets pull coco-val2017</c> fails on a target it cannot write with one line and exit code 2 (before any
/// download). Real processes with RFCNPERF_COCO removed from their environment.
/// </summary>
public sealed class FreshMachineTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-cli-fresh-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Detect_without_a_coco_folder_uses_the_bundled_sample_and_says_so_in_one_line()
    {
        var output = Path.Combine(dir, "dets.json");
        var (exit, stdout, stderr) = RunCli(dir, "detect", "--model", "yolov8n", "--limit", "2", "--out", output);

        Assert.True(exit == 0, stderr);
        var notice = Assert.Single(stderr.Split('\n'), l => l.StartsWith("using the bundled", StringComparison.Ordinal));
        Assert.StartsWith("using the bundled 48-image sample; --coco DIR for val2017", notice, StringComparison.Ordinal);
        Assert.Contains("2 images", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Pulling_coco_into_a_path_that_cannot_be_written_is_one_line_and_exit_code_2()
    {
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "not a folder");

        var (exit, stdout, stderr) = RunCli(dir, "assets", "pull", CocoDownload.AssetName, "--coco", Path.Combine(file, "coco"));

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot write to {Path.Combine(file, "coco")}", line, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) RunCli(string workDir, params string[] args)
    {
        using var process = CliRunner.Start(args, new Dictionary<string, string?> { ["RFCNPERF_COCO"] = null }, workDir);
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderrTask.GetAwaiter().GetResult());
    }
}
