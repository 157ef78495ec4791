using RfcnPerf.Coco;
using RfcnPerf.Onnx;
using RfcnPerf.Testing;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>What one eval run writes, checked against an independent scoring of its saved results files.</summary>
public sealed class AccuracyReportTests(NanodetPairFixture fixture) : IClassFixture<NanodetPairFixture>
{
    // The PR curve is a per-recall mean over classes; AP50 is one mean over (recall, class) cells. The same
    // cells, summed in another order: equal up to a few ulps of the values (about 1e-16), never more.
    private const double SummationOrderTolerance = 1e-12;

    [SkippableFact]
    public void ReportJson_HoldsBothModels_AsTheCatalogNamesThem_WithThePrecisionPair()
    {
        var runs = ReportJson.ReadRuns(Path.Combine(fixture.OutDir, "report.json"));

        Skip.IfNot(TestRuns.IsPrecisionPair, TestPaths.NeedsNanodet + " (or an INT8 model from the quantizer)");
        Assert.Equal(["nanodet-m-416", "nanodet-m-416-int8"], runs.Select(r => r.Model.Name));
        Assert.Equal([ModelPrecision.FP32, ModelPrecision.INT8], runs.Select(r => r.Model.Precision));
        Assert.Equal("8dd32b85f2d273e9047f1d6b59e0b2fd008b1076338107bb547ac28942cdf90b", runs[1].Model.Sha256);
        Assert.Equal("416x416", runs[0].Model.InputSize);
        Assert.Equal("QOperator", runs[1].Model.Quantization);
        var comparison = Assert.Single(fixture.Report.Comparisons);
        Assert.Equal("nanodet-m-416", comparison.Baseline);
        Assert.Equal("nanodet-m-416-int8", comparison.Candidate);
        Assert.Equal(runs[1].Stats[0] - runs[0].Stats[0], comparison.StatDeltas[0]);
    }

    [Fact]
    public void StatsInTheReport_EqualScoringTheSavedResultsFiles_BitForBit()
    {
        var gt = CocoGroundTruth.Load(TestPaths.CocoAnnotations);
        var saved = ReportJson.ReadRuns(Path.Combine(fixture.OutDir, "report.json"));
        foreach (var run in saved)
        {
            var results = CocoResults.Load(Path.Combine(fixture.OutDir, run.Model.Name, run.ResultsFile), gt);
            var parameters = new CocoEvalParams { ImgIds = run.EvaluatedImageIds };
            var summary = new CocoEvaluator(gt, results, parameters, maxDegreeOfParallelism: 2).Run();

            Assert.Equal(NanodetPairFixture.Images, run.EvaluatedImageCount);
            Assert.Equal(summary.Stats.Select(BitConverter.DoubleToInt64Bits), run.Stats.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(summary.PerCategory, run.PerCategory);
            Assert.Equal(results.Count, run.Detections);
        }
    }

    [Fact]
    public void RunJson_IsTheSameRunAsInTheReport()
    {
        foreach (var run in fixture.Report.Runs)
        {
            var single = Assert.Single(ReportJson.ReadRuns(Path.Combine(fixture.OutDir, run.Model.Name, "run.json")));
            Assert.Equal(run.Stats, single.Stats);
            Assert.Equal(run.Fingerprint, single.Fingerprint);
            Assert.Equal(run.Latency!.Inference, single.Latency!.Inference);
            Assert.Equal(run.Latency.EndToEnd, single.Latency.EndToEnd);
            Assert.Equal(run.Latency.StageMeansMs, single.Latency.StageMeansMs);
        }
    }

    [Fact]
    public void LimitedRun_IsScoredOnTheProcessedImagesOnly_AndSaysSo()
    {
        var gt = CocoGroundTruth.Load(TestPaths.CocoAnnotations);
        var ids = gt.Images.Take(NanodetPairFixture.Images).Select(i => i.Id);
        Assert.All(fixture.Report.Runs, r => Assert.Equal(ids, r.EvaluatedImageIds!));
        Assert.True(fixture.Report.Data.Restricted);
        var md = File.ReadAllText(Path.Combine(fixture.OutDir, "report.md"));
        Assert.Contains($"**6 of the {gt.Images.Count} images were processed** (--limit 6), and every model is scored on those images only", md, StringComparison.Ordinal);
    }

    [Fact]
    public void PrecisionRecallCurves_AverageToAp50AndAp75()
    {
        foreach (var run in fixture.Report.Runs)
        {
            Assert.Equal([0.5, 0.75], run.PrecisionRecall.Select(c => c.IouThreshold));
            Assert.Equal(101, run.PrecisionRecall[0].Precision.Count);
            Assert.All(run.PrecisionRecall.SelectMany(c => c.Precision), p => Assert.InRange(p, 0, 1));
            Assert.Equal(run.Stats[1], run.PrecisionRecall[0].Precision.Average(), SummationOrderTolerance);
            Assert.Equal(run.Stats[2], run.PrecisionRecall[1].Precision.Average(), SummationOrderTolerance);
        }
    }

    [Fact]
    public void Latency_ComesFromTheSamePass_WarmupExcluded()
    {
        foreach (var run in fixture.Report.Runs)
        {
            var latency = run.Latency!;
            Assert.Equal(1, latency.WarmupRequests);
            Assert.Equal(NanodetPairFixture.Images - 1, latency.Requests);
            Assert.Equal(latency.Requests, latency.Inference.Count);
            Assert.True(latency.Inference.P50Ms > 0 && latency.Inference.P50Ms <= latency.Inference.P90Ms && latency.Inference.P90Ms <= latency.Inference.P99Ms);
            Assert.True(latency.EndToEnd.P50Ms >= latency.Inference.P50Ms);
            Assert.Equal("intra=1 inter=0 sequential, pipelined runner", latency.Settings);
        }
    }

    [Fact]
    public void ReportMarkdown_HasEverySection_AndLinksFilesThatExist()
    {
        var md = File.ReadAllText(Path.Combine(fixture.OutDir, "report.md"));
        var headings = new[]
        {
            "## Answer", "## Machine", "## Models", "## COCO stats", "## Latency and throughput", "## Precision-recall", "## Per-class AP",
            "## Errors by type (TIDE)", "## Score threshold: precision, recall and F1", "## Calibration", "## Confusion between classes", "## Agreement: ", "## Examples",
        };
        Assert.Equal(headings, headings.OrderBy(h => md.IndexOf(h, StringComparison.Ordinal))); // each present, in this order
        Assert.DoesNotContain(headings, h => !md.Contains(h, StringComparison.Ordinal));

        Assert.Contains("| AP (AP @[.50:.95] all) | " + Md.Stat(fixture.Report.Runs[0].AP) + " | " + Md.Stat(fixture.Report.Runs[1].AP) + " | ", md, StringComparison.Ordinal);
        var links = System.Text.RegularExpressions.Regex.Matches(md, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToArray();
        // 4 charts (one per-class delta for the one pair), 4 diagnostics charts (one agreement chart for the pair), then
        // the examples: the (at most 2) images where the pair disagrees.
        Assert.Equal(8, links.Count(l => l.StartsWith("charts/", StringComparison.Ordinal)));
        Assert.InRange(links.Count(l => l.StartsWith("examples/", StringComparison.Ordinal)), 1, 2);
        Assert.All(links, l => Assert.True(new FileInfo(Path.Combine(fixture.OutDir, l)).Length > 10_000, l));
    }

    [Fact]
    public void Examples_HaveOneRowPerPair_GroundTruthAndBothModels()
    {
        var example = Directory.EnumerateFiles(Path.Combine(fixture.OutDir, "examples"), "*.png").Order(StringComparer.Ordinal).First();
        using var bitmap = SkiaSharp.SKBitmap.Decode(example);
        using var source = SkiaSharp.SKBitmap.Decode(Path.Combine(TestPaths.CocoImages, Path.GetFileNameWithoutExtension(example) + ".jpg"));
        var scale = Math.Min(1.0, SideBySideVisualizer.PanelWidth / (double)source.Width);
        Assert.Equal((3 * (int)Math.Round(source.Width * scale)) + (2 * 12), bitmap.Width);
        Assert.True(bitmap.Height > source.Height * scale && bitmap.Height < 2 * source.Height * scale, "one row");
    }

    [Fact]
    public void Diagnostics_AreThoseOfTheSavedResultsFiles_AndTheAgreementPartitionsBothModels()
    {
        var gt = CocoGroundTruth.Load(TestPaths.CocoAnnotations);
        var results = fixture.Report.Runs.Select(r => CocoResults.Load(Path.Combine(fixture.OutDir, r.Model.Name, r.ResultsFile), gt)).ToArray();
        var ids = fixture.Report.Runs[0].EvaluatedImageIds!;
        Assert.Equal(fixture.Report.Runs.Count, fixture.Report.Diagnostics.Count);
        for (int i = 0; i < results.Length; i++)
        {
            var expected = Coco.Analysis.DetectionAnalysis.Analyze(gt, results[i], new Coco.Analysis.DetectionAnalysisOptions { ImageIds = ids });
            var saved = fixture.Report.Diagnostics[i].Analysis;
            Assert.Equal(expected.Tide.Ap, saved.Tide.Ap);
            Assert.Equal(expected.Tide.Errors, saved.Tide.Errors);
            Assert.Equal(expected.Confidence.BestThreshold, saved.Confidence.BestThreshold);
            Assert.Equal(expected.Calibration.ExpectedCalibrationError, saved.Calibration.ExpectedCalibrationError);
            Assert.Equal(NanodetPairFixture.Images, saved.Images);
        }

        var pair = Assert.Single(fixture.Report.Agreements);
        var tau = pair.Agreement.ScoreThreshold;
        Assert.Equal(fixture.Report.Diagnostics[0].Analysis.Confidence.BestThreshold, tau);
        int Above(CocoResults r) => Enumerable.Range(0, r.Count).Count(j => ids.Contains(r[j].ImageId) && r[j].Score >= tau);
        Assert.Equal(Above(results[0]), pair.Agreement.Totals.Baseline);
        Assert.Equal(Above(results[1]), pair.Agreement.Totals.Candidate);

        // report.json reads back with its diagnostics (eval compare reads the same file).
        var read = JsonReportFile.Read<AccuracyReport>(File.ReadAllBytes(Path.Combine(fixture.OutDir, "report.json")))!;
        Assert.Equal(fixture.Report.Diagnostics[1].Analysis.Tide.Errors, read.Diagnostics[1].Analysis.Tide.Errors);
        Assert.Equal(pair.Agreement.Totals, read.Agreements[0].Agreement.Totals);
    }

    [Fact]
    public void SecondRun_InTheSameFolder_ReusesFinishedModels()
    {
        // In a copy of the folder, so the shared fixture's report stays as written.
        using var copy = new TempDir();
        foreach (var file in Directory.EnumerateFiles(fixture.OutDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(fixture.OutDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var listener = new RecordingListener();
        var again = AccuracyRunner.Run(fixture.Options with { OutDir = copy.Path, Visualize = 0 }, listener);

        Assert.Equal(2, listener.Lines.Count(l => l.Contains("already finished in this folder", StringComparison.Ordinal)));
        Assert.DoesNotContain(listener.Lines, l => l.StartsWith("start ", StringComparison.Ordinal));
        Assert.Equal(fixture.Report.Runs.Select(r => r.Stats), again.Runs.Select(r => r.Stats));
    }
}
