using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Bench.Reporting;
using RfcnPerf.Core.Machine;
using RfcnPerf.Reporting;
using RfcnPerf.Testing;
using static RfcnPerf.Bench.Tests.Cases;

namespace RfcnPerf.Bench.Tests;

public sealed class SummaryWriterTests : IDisposable
{
    private readonly TempDir dir = new();

    private static readonly MachineInfo Machine = new()
    {
        CpuModel = "Test CPU 9000",
        LogicalProcessors = 4,
        PhysicalCores = 2,
        IsaFlags = ["avx2", "avx512f"],
        Os = "Linux test",
        DotNet = "10.0.0",
        OnnxRuntime = "1.31.1",
    };

    public void Dispose() => dir.Dispose();

    private string Write(IReadOnlyList<CaseResult> cases, IReadOnlyList<ModelVariant> variants, IReadOnlyList<(string, string)>? failures = null, IReadOnlyList<ChartFile>? charts = null)
    {
        var run = new RunRecord
        {
            Profile = BenchProfile.Quick,
            CommandLine = "run-bench quick --models model-a",
            Machine = Machine,
            OutputDir = dir.Path,
            StartedUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            WallTime = TimeSpan.FromSeconds(125),
            LoadBefore = new LoadSnapshot(1.5, 1.25, 1),
            LoadAfter = null,
            PeakWorkingSetBytes = 300L * 1024 * 1024,
            Cases = cases,
            Variants = variants,
            Notes = ["something was skipped"],
            Failures = failures ?? [],
            Exports = ["results/RealTime report.csv"],
        };
        var path = SummaryWriter.Write(run, new ResultAnalysis(cases, variants), charts ?? []);
        Assert.Equal(Path.Combine(dir.Path, "summary.md"), path);
        return File.ReadAllText(path);
    }

    private static string Section(string text, string heading)
    {
        var start = text.IndexOf("## " + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{heading}' in:\n{text}");
        var end = text.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    [Fact]
    public void HeaderStatesProfileCountsWallTimeLoadAndPeakMemory()
    {
        var text = Write([Case(ModelAFp32, Intra(0), mean: 10)], [ModelAFp32]);

        Assert.StartsWith("# RfcnPerf benchmark: `quick` profile, 2026-01-02 03:04 UTC\n", text, StringComparison.Ordinal);
        Assert.Contains("- **Result**: 1 of 1 cases measured, none failed.", text, StringComparison.Ordinal);
        Assert.Contains("- **Wall time**: 2 min 5 s (`run-bench quick --models model-a`).", text, StringComparison.Ordinal);
        Assert.Contains("4 logical CPUs): 1.50 / 1.25 / 1.00 before, n/a after (the run itself adds up to 2)", text, StringComparison.Ordinal);
        Assert.Contains("300 MiB.", text, StringComparison.Ordinal);
        Assert.Contains("| CPU | Test CPU 9000 |", Section(text, "Machine"), StringComparison.Ordinal);
        Assert.DoesNotContain("## Failures", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BestConfigurationTablesShowTheChosenCaseWithItsConfiguration()
    {
        var cases = new[]
        {
            Case(ModelAFp32, Intra(0), mean: 12, p50: 11),
            Case(ModelAFp32, Intra(1), mean: 10, p50: 9.6),
            Throughput(ModelAFp32, Batch(8), mean: 64),
        };

        var best = Section(Write(cases, [ModelAFp32]), "BenchmarkDotNet cases: lowest median and highest images/s");

        // Latency: intra=1 (lowest median); p90/p99 are 1.2x/1.5x the median in the synthetic cases.
        Assert.Contains("| model-a | FP32 | real-time intra-op sweep: batch 1, intra=1, sequential | 9.60 | 11.5 | 14.4 | 10.0 | 100 | n/a | n/a |", best, StringComparison.Ordinal);
        // Throughput: batch 8 at 64 ms = 125 images/s, 8 ms per image.
        Assert.Contains("| model-a | FP32 | batch sweep: batch 8, intra=0 (ORT default), sequential | 125 | 8.00 | 64.0 | 96.0 |", best, StringComparison.Ordinal);
        Assert.DoesNotContain("No inference case succeeded.", best, StringComparison.Ordinal);
    }

    [Fact]
    public void PrecisionSectionListsEveryPairSideBySideWithoutSubtractingCases()
    {
        var cases = new[]
        {
            Case(ModelAFp32, Intra(0), mean: 30),
            Case(ModelAInt8, Intra(0), mean: 20),
            Throughput(ModelAFp32, Batch(4), mean: 80),
            Throughput(ModelAInt8, Batch(4), mean: 60),
        };

        var text = Write(cases, [ModelAFp32, ModelAInt8]);
        var precision = Section(text, "FP32 and INT8, case by case (BenchmarkDotNet)");

        Assert.Contains("| model-a | real-time intra-op sweep: batch 1, intra=0 (ORT default), sequential | Run | 30.0 | 20.0 | 33.3 | 50.0 |", precision, StringComparison.Ordinal);
        Assert.Contains("| model-a | batch sweep: batch 4, intra=0 (ORT default), sequential | Run | 80.0 | 60.0 | 50.0 | 66.7 |", precision, StringComparison.Ordinal);
        Assert.Contains("not a comparison", precision, StringComparison.Ordinal);

        // The speed-up is the runner's (paired); cases measured one after another give none.
        Assert.DoesNotContain("speed-up", precision.Replace("The INT8 speed-up with its interval and verdict is under Answers", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("No comparison ran", Section(text, "Answers"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAPairThePrecisionSectionSaysSo()
    {
        var precision = Section(Write([Case(ModelAFp32, Intra(0), mean: 20)], [ModelAFp32]), "FP32 and INT8, case by case (BenchmarkDotNet)");

        Assert.Contains("No FP32/INT8 pair was measured", precision, StringComparison.Ordinal);
    }

    [Fact]
    public void FailuresAreCountedAndListed()
    {
        var cases = new[] { Case(ModelAFp32, Intra(0), mean: 20), Case(ModelAFp32, Intra(1), mean: 20, success: false) };

        var text = Write(cases, [ModelAFp32], failures: [("model-a INT8", "model file not found")]);

        Assert.Contains("- **Result**: 1 of 2 cases measured, **1 FAILED** (see Failures below).", text, StringComparison.Ordinal);
        var failures = Section(text, "Failures");
        Assert.Contains("- FAILED `RealTimeBenchmarks.Run [Variant=model-a FP32] (real-time)`", failures, StringComparison.Ordinal);
        Assert.Contains("- model-a INT8: model file not found", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSuccessfulInferenceLeavesEmptyTablesAndSaysSo()
    {
        var best = Section(Write([Case(ModelAFp32, Intra(0), mean: 20, success: false)], [ModelAFp32]), "BenchmarkDotNet cases: lowest median and highest images/s");

        Assert.Contains("No inference case succeeded.", best, StringComparison.Ordinal);
    }

    [Fact]
    public void StagesOverheadAndOtherBenchmarksGetTheirSections()
    {
        CaseResult Stage(string method, double mean) =>
            Case(ModelAFp32, Intra(0), mean, benchmark: nameof(EndToEndBenchmarks), method: method, category: BenchCategories.Stage);
        var cases = new[]
        {
            Stage(nameof(EndToEndBenchmarks.Decode), 4),
            Stage(nameof(EndToEndBenchmarks.Preprocess), 2),
            Stage(nameof(EndToEndBenchmarks.Inference), 30),
            Stage(nameof(EndToEndBenchmarks.Postprocess), 1),
            Stage(nameof(EndToEndBenchmarks.EndToEnd), 40),
            Case(ModelAFp32, Intra(0), mean: 10, benchmark: nameof(SessionOverheadBenchmarks), method: nameof(SessionOverheadBenchmarks.BareRun), category: BenchCategories.Overhead),
            Case(ModelAFp32, Intra(0), mean: 10.5, p50: 10.2, benchmark: nameof(SessionOverheadBenchmarks), method: nameof(SessionOverheadBenchmarks.DetectorRun), category: BenchCategories.Overhead),
            Case(null, SweepPoint.Default, mean: 1234, benchmark: nameof(CocoEvalBenchmarks), method: "Evaluate", job: "coco-eval", category: "coco"),
        };

        var text = Write(cases, [ModelAFp32]);

        Assert.Contains("| model-a | FP32 | 4.00 | 2.00 | 30.0 | 1.00 | 40.0 | 40.0 | 25.0% |", Section(text, "Cost outside the model (end to end on real COCO images, batch 1)"), StringComparison.Ordinal);
        Assert.Contains("| model-a | FP32 | 10.0 | 10.2 | 10.0 | 10.5 |", Section(text, "RfcnPerf's session against a bare InferenceSession.Run loop"), StringComparison.Ordinal);
        var others = Section(text, "Other benchmarks");
        Assert.Contains("large_tiled5k_36k", others, StringComparison.Ordinal);
        Assert.Contains("| CocoEvalBenchmarks | Evaluate |  | coco-eval | 1234 | 1234 | 1111 | 1851 | 3 |", others, StringComparison.Ordinal);
    }

    [Fact]
    public void PipeliningSectionListsEachPassAndPointsToThePairedMeasurement()
    {
        var noSpin = SweepPoint.Default with { AllowSpinning = false };
        CaseResult Pass(string method, double msPerImage) =>
            Case(ModelAFp32, noSpin, msPerImage, benchmark: nameof(PipelinedThroughputBenchmarks), method: method, category: BenchCategories.EndToEnd);
        var cases = new[]
        {
            Pass(nameof(PipelinedThroughputBenchmarks.ModelCall), 18),
            Pass(nameof(PipelinedThroughputBenchmarks.Sequential), 24),
            Pass(nameof(PipelinedThroughputBenchmarks.Pipelined), 20),
        };

        var section = Section(Write(cases, [ModelAFp32]), "End to end against the model call (pipelined runner)");

        Assert.Contains("batch 1, intra=0 (ORT default), sequential, no-spin", section, StringComparison.Ordinal);
        Assert.Contains("| model-a | FP32 | 55.6 | 41.7 | 50.0 |", section, StringComparison.Ordinal);
        Assert.Contains("`rfcnperf model speed MODEL --end-to-end`", section, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartsNotesAndExportsAreLinked()
    {
        var charts = new[] { new ChartFile("Latency by intra-op threads", "charts/latency.png") };

        var text = Write([Case(ModelAFp32, Intra(0), mean: 10)], [ModelAFp32], charts: charts);

        Assert.Contains("### Latency by intra-op threads\n\n![Latency by intra-op threads](charts/latency.png)", Section(text, "Charts"), StringComparison.Ordinal);
        var profile = Section(text, "Profile");
        Assert.Contains("Models: `model-a FP32`. FLOPs per image: model-a FP32: n/a G (unknown).", profile, StringComparison.Ordinal);
        Assert.Contains("- Note: something was skipped", profile, StringComparison.Ordinal);
        Assert.Contains("- Trimmed: models: yolov8n and the NanoDet pair only", profile, StringComparison.Ordinal);
        Assert.Contains("- [results/RealTime report.csv](results/RealTime%20report.csv)", Section(text, "Files"), StringComparison.Ordinal);
    }
}
