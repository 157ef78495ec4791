using RfcnPerf.Reporting.Bench;
using RfcnPerf.Statistics;
using RfcnPerf.Testing;

namespace RfcnPerf.Reporting.Tests;

/// <summary>bench compare case by case: matching by model hash and configuration, verdicts from raw samples, refusals.</summary>
public sealed class BenchCaseVerdictTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Cases_are_matched_by_hash_not_name_and_get_ratio_interval_and_verdict()
    {
        var a = BenchRunFolder.Write(dir.File("a"),
        [
            new("yolov8n", "aaaa", "FP32", 0, BenchRunFolder.Times(60, 40, 1)),
            new("yolov8n", "aaaa", "FP32", 1, BenchRunFolder.Times(60, 70, 2)),
            new("nanodet", "bbbb", "INT8", 0, BenchRunFolder.Times(60, 90, 3)),
            new("gone", "cccc", "FP32", 0, BenchRunFolder.Times(60, 10, 4)),
        ]);

        // Run B renamed yolov8n (same file): still matched; intra=1 got 20% slower; NanoDet INT8 is a new file: not matched.
        var b = BenchRunFolder.Write(dir.File("b"),
        [
            new("yolov8n-renamed", "aaaa", "FP32", 0, BenchRunFolder.Times(60, 40, 5)),
            new("yolov8n-renamed", "aaaa", "FP32", 1, BenchRunFolder.Times(60, 84, 6)),
            new("nanodet", "dddd", "INT8", 0, BenchRunFolder.Times(60, 90, 7)),
        ]);

        // Two matched cases are too few to estimate the between-run noise band: give it.
        var result = BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), VerdictRule.DefaultThreshold, NoiseBand.FromFraction(0.02));

        Assert.Null(result.PerCaseUnavailable);
        Assert.True(result.AnySlower);
        Assert.Contains("Between-run noise band: ±2.0% (given with --noise).", result.Markdown, StringComparison.Ordinal);
        Assert.Contains("### B against A: 2 cases matched (1 same, 0 faster, 1 slower, 0 unknown); geometric mean of the 2 decided ratios", result.Markdown, StringComparison.Ordinal);
        Assert.Contains("unmatched: 2 only in A, 1 only in B", result.Markdown, StringComparison.Ordinal);
        Assert.Matches(@"\| yolov8n \| FP32 \| batch 1, intra=1, sequential, 1 stream \| RealTimeBenchmarks.Infer \| (69|70)\.\d\d \| 8\d\.\d\d \| 1\.[12]\d\dx \[1\.\d{3}, 1\.\d{3}\] \| 1\.[12]\d\dx \[1\.\d{3}, 1\.\d{3}\] \| slower \|", result.Markdown);
        Assert.Matches(@"\| yolov8n \| FP32 \| batch 1, intra=0, sequential, 1 stream \| RealTimeBenchmarks.Infer \| \d\d\.\d\d \| \d\d\.\d\d \| [01]\.\d{3}x \[\S+, \S+\] \| [01]\.\d{3}x \[\S+, \S+\] \| same \|", result.Markdown);
    }

    [Fact]
    public void Raw_samples_come_from_the_actual_iterations_divided_by_operations()
    {
        // Four images per operation: per-operation times equal the samples; warm-up (1 s) and Result rows are ignored.
        var a = BenchRunFolder.Write(dir.File("a"), [new("m", "aaaa", "FP32", 0, BenchRunFolder.Times(40, 10, 1), Operations: 4)]);
        var b = BenchRunFolder.Write(dir.File("b"), [new("m", "aaaa", "FP32", 0, BenchRunFolder.Times(40, 10, 2), Operations: 4)]);

        var result = BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), 0.05);

        Assert.Matches(@"\| m \| FP32 \| [^|]+ \| [^|]+ \| (9\.\d\d|10\.\d\d) \| (9\.\d\d|10\.\d\d) \|", result.Markdown);
        Assert.False(result.AnySlower);
    }

    [Fact]
    public void Few_samples_give_unknown_and_say_why()
    {
        var a = BenchRunFolder.Write(dir.File("a"), [new("m", "aaaa", "FP32", 0, BenchRunFolder.Times(20, 10, 1))]);
        var b = BenchRunFolder.Write(dir.File("b"), [new("m", "aaaa", "FP32", 0, BenchRunFolder.Times(20, 20, 2))]);

        var result = BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), 0.05);

        Assert.Contains("| unknown (20 rounds < 30) |", result.Markdown, StringComparison.Ordinal);
        Assert.False(result.AnySlower);
    }

    [Fact]
    public void The_noise_band_comes_from_the_matched_cases_and_keeps_run_to_run_shifts_undecided()
    {
        // Ten cases whose level moved by up to 12% between two runs of one build, as on a shared 2-vCPU machine, and
        // two that truly got 1.5x slower. Every sample unpaired would call the moved cases faster or slower.
        double[] moved = [1.00, 0.97, 1.03, 0.95, 1.05, 1.00, 0.93, 1.12, 0.99, 1.02];
        var baseCases = moved.Select((_, i) => new BenchRunFolder.Case("m", "aaaa", "FP32", i, BenchRunFolder.Times(100, 20 + i, i + 1))).ToList();
        var runCases = moved.Select((f, i) => new BenchRunFolder.Case("m", "aaaa", "FP32", i, BenchRunFolder.Times(100, (20 + i) * f, i + 101))).ToList();
        baseCases.AddRange([new("n", "bbbb", "INT8", 0, BenchRunFolder.Times(100, 50, 201)), new("n", "bbbb", "INT8", 1, BenchRunFolder.Times(100, 30, 202))]);
        runCases.AddRange([new("n", "bbbb", "INT8", 0, BenchRunFolder.Times(100, 75, 301)), new("n", "bbbb", "INT8", 1, BenchRunFolder.Times(100, 45, 302))]);
        var a = BenchRunFolder.Write(dir.File("a"), baseCases);
        var b = BenchRunFolder.Write(dir.File("b"), runCases);

        var result = BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), 0.05);

        Assert.Contains("### B against A: 12 cases matched (0 same, 0 faster, 2 slower, 10 unknown)", result.Markdown, StringComparison.Ordinal);
        Assert.Matches(@"Between-run noise band: ±\d+\.\d% \(1\.96 x the robust standard deviation 0\.\d{4} of the 12 matched cases' log ratios", result.Markdown);
        Assert.Matches(@"\| n \| INT8 \| batch 1, intra=0, [^|]+ \| [^|]+ \| (49|50)\.\d\d \| (74|75)\.\d\d \| 1\.[45]\d\dx [^|]+ \| 1\.[45]\d\dx [^|]+ \| slower \|", result.Markdown);
        Assert.True(result.AnySlower);
    }

    [Fact]
    public void Runs_of_different_profiles_are_refused()
    {
        var a = BenchRunFolder.Write(dir.File("a"), [new("m", "aaaa", "FP32", 0, [1.0])]);
        var b = BenchRunFolder.Write(dir.File("b"), [new("m", "aaaa", "FP32", 0, [1.0])], profile: "full");

        var ex = Assert.Throws<ReportException>(() => BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), 0.05));

        Assert.Contains("runs of different profiles: A", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ran 'full'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_whose_raw_samples_are_gone_is_refused()
    {
        var a = BenchRunFolder.Write(dir.File("a"), [new("m", "aaaa", "FP32", 0, [1.0])]);
        var b = BenchRunFolder.Write(dir.File("b"), [new("m", "aaaa", "FP32", 0, [1.0])], withExport: false);

        var ex = Assert.Throws<ReportException>(() => BenchComparison.Compare([(a, BenchComparison.Read(a)), (b, BenchComparison.Read(b))], dir.File("out"), 0.05));

        Assert.Contains("RealTimeBenchmarks-report-full.json: not found: the run has no raw samples", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_summaries_compare_machines_only_and_say_why()
    {
        var example = Path.Combine(TestPaths.RepoRoot, "results", "compare-example", "runs");
        var runs = Directory.GetDirectories(example).Order(StringComparer.Ordinal).Select(d => (d, BenchComparison.Read(d))).ToArray();

        var result = BenchComparison.Compare(runs, dir.File("out"), 0.05);

        Assert.DoesNotContain("Per-case verdicts", result.Markdown, StringComparison.Ordinal);
        Assert.Contains("summary.json version 1; per-case verdicts need version 2", result.PerCaseUnavailable, StringComparison.Ordinal);
    }
}
