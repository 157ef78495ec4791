using RfcnPerf.Reporting.Bench;
using RfcnPerf.Testing;

namespace RfcnPerf.Reporting.Tests;

/// <summary>bench compare: machines side by side with speeds relative to run A, INT8 speed-ups per machine, charts, refusals.</summary>
public sealed class BenchComparisonTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void TwoMachines_SideBySide_WithSpeedRelativeToTheFirst()
    {
        var a = Summary("node-a", 2, latencyP50: 20, throughput: 50, speedUp: 0.5);
        var b = Summary("node-b", 1, latencyP50: 40, throughput: 25, speedUp: 0.8) with { Int8SpeedUps = [] };
        WriteRun("a", a);
        WriteRun("b", b);

        var markdown = BenchComparison.Write([("a", BenchComparison.Read(dir.File("a"))), ("b", BenchComparison.Read(dir.File("b")))], dir.File("out"));

        // Latency: B takes twice as long (A's time / B's time = 0.50x); throughput: half the images/s (0.50x).
        Assert.Contains("| yolov8n | FP32 | 20.00 | 40.00 | 0.50x | A |", markdown, StringComparison.Ordinal);
        Assert.Contains("| yolov8n | FP32 | 50.0 | 25.0 | 0.50x | A |", markdown, StringComparison.Ordinal);
        Assert.Contains("| nanodet | 0.50x (0.40x to 0.60x, 5 measurements) | not measured |", markdown, StringComparison.Ordinal);
        Assert.Contains("Slurm job 7 on node-a, -c 2", markdown, StringComparison.Ordinal);
        Assert.Contains("| A | Intel Xeon node-a, 2 cores | 2 (0-1) |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Warning, run B**: load average 0.10 / 0.20 / 0.30 before and 1.10 / 0.50 / 0.40 after, on 1 usable CPU", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning, run A", markdown, StringComparison.Ordinal);
        Assert.Equal(markdown, File.ReadAllText(dir.File("out/comparison.md")));
        foreach (var chart in new[] { "compare-latency.png", "compare-throughput.png", "compare-int8-speedup.png" })
        {
            Assert.Contains($"](charts/{chart})", markdown, StringComparison.Ordinal);
            Assert.True(new FileInfo(dir.File($"out/charts/{chart}")).Length > 10_000, chart);
        }
    }

    [Fact]
    public void Committed_example_is_reproduced_byte_for_byte()
    {
        // results/compare-example/comparison.md was written by `rfcnperf bench compare runs/A runs/B` in that folder:
        // the same summaries give the same Markdown, wherever the comparison code lives.
        var example = Path.Combine(TestPaths.RepoRoot, "results", "compare-example");
        var runs = Directory.GetDirectories(Path.Combine(example, "runs")).Order(StringComparer.Ordinal)
            .Select(d => ($"runs/{Path.GetFileName(d)}", BenchComparison.Read(d))).ToArray();

        var markdown = BenchComparison.Write(runs, dir.File("out"));

        Assert.Equal(File.ReadAllText(Path.Combine(example, "comparison.md")), markdown);
    }

    [Fact]
    public void FolderWithoutSummary_IsNamed()
    {
        Directory.CreateDirectory(dir.File("old-run"));

        var ex = Assert.Throws<ReportException>(() => BenchComparison.Read(dir.File("old-run")));

        Assert.Contains("summary.json: not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherJson_IsRefused()
    {
        File.WriteAllText(dir.File("summary.json"), "{\"kind\":\"rfcnperf.eval-run\"}");

        var ex = Assert.Throws<ReportException>(() => BenchComparison.Read(dir.File("summary.json")));

        Assert.Contains("not a benchmark summary (kind 'rfcnperf.eval-run'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneRun_IsNotAComparison()
    {
        var ex = Assert.Throws<ReportException>(() => BenchComparison.Write([("a", Summary("a", 1, 1, 1, 1))], dir.File("out")));

        Assert.Contains("at least 2 runs, got 1", ex.Message, StringComparison.Ordinal);
    }

    private void WriteRun(string name, BenchRunSummary summary) => JsonReportFile.Write(dir.File($"{name}/summary.json"), summary);

    private static BenchRunSummary Summary(string host, int cpus, double latencyP50, double throughput, double speedUp) => new()
    {
        Profile = "quick",
        CommandLine = "run-bench quick",
        StartedUtc = "2026-11-30T10:00:00Z",
        WallSeconds = 120,
        Host = host,
        MachineDescription = $"Intel Xeon {host}, {cpus} cores",
        Machine = [new("CPU", $"Intel Xeon {host}")],
        Cpus = cpus,
        CpusAllowed = cpus == 2 ? "0-1" : "0",
        LoadBefore = "0.10 / 0.20 / 0.30",
        LoadAfter = "1.10 / 0.50 / 0.40",
        Job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "7", ["SLURMD_NODENAME"] = host, ["SLURM_CPUS_PER_TASK"] = cpus.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Cases = 9,
        FailedCases = 0,
        BestLatency = [new BenchBest("yolov8n", "FP32", "real-time intra-op sweep: batch 1, intra=2, sequential", latencyP50, latencyP50 * 1.1, latencyP50 * 1.5, latencyP50 * 1.05, 1000 / latencyP50)],
        BestThroughput = [new BenchBest("yolov8n", "FP32", "streams: batch 1, 2 streams x intra=1", latencyP50 * 2, latencyP50 * 2.2, latencyP50 * 3, latencyP50 * 2, throughput)],
        Int8SpeedUps = [new BenchSpeedUp("nanodet", 5, speedUp, speedUp - 0.1, speedUp + 0.1)],
    };
}
