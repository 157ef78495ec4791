using RfcnPerf.Reporting.Tests;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>`rfcnperf bench compare`: the CI gate's exit codes and the one-line errors for bad input.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BenchCompareCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Run(string name, double medianMs, string profile = "quick", bool withExport = true) =>
        BenchRunFolder.Write(dir.File(name), [new("yolov8n", "aaaa", "FP32", 0, BenchRunFolder.Times(60, medianMs, name.Length))], profile, withExport);

    [Fact]
    public void A_slower_case_fails_the_gate_with_exit_code_3()
    {
        var (exit, stdout, stderr) = CliRunner.Run("bench", "compare", Run("base", 40), Run("slow-run", 50), "--noise", "2%", "--fail-on-regression", "--out-dir", dir.File("out"));

        Assert.Equal(3, exit);
        Assert.Contains("| slower |", stdout, StringComparison.Ordinal);
        Assert.Contains("bench compare: regression: at least one case is slower than in the base run (θ 5.0%); exit code 3", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_gate_or_without_a_slowdown_the_exit_code_is_0()
    {
        Assert.Equal(0, CliRunner.Run("bench", "compare", Run("base", 40), Run("slow-run", 50), "--noise", "2%", "--out-dir", dir.File("out1")).ExitCode);
        var (exit, stdout, _) = CliRunner.Run("bench", "compare", Run("base", 40), Run("same", 40), "--noise", "2%", "--fail-on-regression", "--out-dir", dir.File("out2"));
        Assert.Equal(0, exit);
        Assert.Contains("| same |", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_threshold_calls_a_10_percent_slowdown_the_same()
    {
        var (exit, stdout, _) = CliRunner.Run("bench", "compare", Run("base", 40), Run("slower", 44), "--threshold", "25%", "--noise", "2%", "--fail-on-regression", "--out-dir", dir.File("out"));

        Assert.Equal(0, exit);
        Assert.Contains("| same |", stdout, StringComparison.Ordinal);
        Assert.Contains("θ = 25.0%", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void One_case_is_too_few_for_the_noise_band_so_the_gate_does_not_fire()
    {
        var (exit, stdout, _) = CliRunner.Run("bench", "compare", Run("base", 40), Run("slow-run", 50), "--fail-on-regression", "--out-dir", dir.File("out"));

        Assert.Equal(0, exit);
        Assert.Contains("Between-run noise band: not estimable from 1 matched case (it needs 8; give --noise): every verdict is unknown.", stdout, StringComparison.Ordinal);
        Assert.Contains("| unknown |", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_code_2()
    {
        var missing = dir.File("no-such-run");
        AssertUserError([Run("base", 40), missing], $"{missing}: not found (expected a benchmark run folder");
        AssertUserError([Run("base", 40), Run("full-run", 40, profile: "full")], "runs of different profiles: A");
        AssertUserError([Run("base", 40), Run("gone", 40, withExport: false)], "not found: the run has no raw samples");
        var empty = BenchRunFolder.Write(dir.File("empty"), [new("yolov8n", "aaaa", "FP32", 0, [])]);
        AssertUserError([Run("base", 40), empty], "no raw samples for case");
        AssertUserError([Run("base", 40), Run("other", 40), "--threshold", "lots"], "--threshold: threshold 'lots' is not a number");
        AssertUserError([Run("base", 40), Run("other", 40), "--noise", "lots"], "--noise: noise band 'lots' is not a number");

        // Version-1 runs (no per-case keys) still compare as machines, but cannot gate.
        var example = Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "results", "compare-example", "runs")).Order(StringComparer.Ordinal).ToArray();
        AssertUserError([.. example, "--fail-on-regression"], "--fail-on-regression needs per-case verdicts: run A");
    }

    private void AssertUserError(string[] args, string expected)
    {
        var (exit, stdout, stderr) = CliRunner.Run(["bench", "compare", .. args, "--out-dir", dir.File("out-error")]);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
