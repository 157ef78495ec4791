using RfcnPerf.Coco.Cli;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// When <c>rfcnperf eval score</c> hands the work to the native rfcnperf-eval: only for <c>eval score</c>, only when every
/// results file exists and has no run.json beside it (shard merges need rfcnperf's own reading), never for a response
/// file, and never when the native file is not installed beside rfcnperf.dll (as in this test build).
/// </summary>
public sealed class NativeEvalScoreTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Plain_results_files_go_native()
    {
        string a = dir.Write("a.json", "[]");
        string b = dir.Write("b.json", "[]");
        Assert.True(ScoreRoute.RunsNative(["eval", "score", "--annotations", "gt.json", "--results", a, "--results=" + b, "--threads", "2"]));
        Assert.True(ScoreRoute.RunsNative(["eval", "score", "--results:" + a]));
    }

    [Fact]
    public void Shards_missing_files_and_response_files_stay_in_process()
    {
        string plain = dir.Write("a.json", "[]");
        Directory.CreateDirectory(dir.File("shard"));
        string shard = dir.Write(Path.Combine("shard", "results.json"), "[]");
        dir.Write(Path.Combine("shard", "run.json"), "{}");

        Assert.False(ScoreRoute.RunsNative(["eval", "score", "--results", plain, "--results", shard]));
        Assert.False(ScoreRoute.RunsNative(["eval", "score", "--results", dir.File("missing.json")]));
        Assert.False(ScoreRoute.RunsNative(["eval", "score", "@" + plain]));
    }

    [Fact]
    public void Without_the_native_file_beside_rfcnperf_everything_runs_in_process()
    {
        string results = dir.Write("a.json", "[]");
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "rfcnperf-eval.exe" : "rfcnperf-eval")));
        Assert.Null(NativeEvalScore.TryRun(["eval", "score", "--annotations", "gt.json", "--results", results]));
        Assert.Null(NativeEvalScore.TryRun(["eval", "run"]));
        Assert.Null(NativeEvalScore.TryRun(["models"]));
    }
}
