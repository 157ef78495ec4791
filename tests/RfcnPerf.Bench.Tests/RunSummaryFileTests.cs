using RfcnPerf.Bench.Reporting;
using RfcnPerf.Reporting;
using RfcnPerf.Reporting.Bench;
using RfcnPerf.Testing;

namespace RfcnPerf.Bench.Tests;

/// <summary>summary.json: its type lives in the reporting library, and its bytes are what earlier runs wrote.</summary>
public sealed class RunSummaryFileTests
{
    [Fact]
    public void The_bench_does_not_reference_the_accuracy_project()
    {
        var references = typeof(RunSummaryJson).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.Contains("RfcnPerf.Reporting", references);
        Assert.DoesNotContain("RfcnPerf.Accuracy", references);
    }

    [Theory]
    [InlineData("20261130-103110-quick-vm-job5")]
    [InlineData("20261130-103603-quick-vm-job6")]
    public void Committed_summary_json_round_trips_byte_for_byte(string run)
    {
        // Written by the bench before BenchRunSummary moved to RfcnPerf.Reporting: reading it into the type and
        // writing it back gives the same bytes, so the file format did not change.
        var path = Path.Combine(TestPaths.RepoRoot, "results", "compare-example", "runs", run, BenchRunSummary.FileName);
        using var dir = new TempDir();
        var copy = Path.Combine(dir.Path, BenchRunSummary.FileName);

        JsonReportFile.Write(copy, JsonReportFile.Read<BenchRunSummary>(File.ReadAllBytes(path)));

        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }
}
