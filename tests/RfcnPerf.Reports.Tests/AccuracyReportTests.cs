using RfcnPerf.Coco;
using RfcnPerf.Testing;
using RfcnPerf.Reporting;

namespace RfcnPerf.Reports.Tests;

/// <summary>What one eval run writes, checked against an independent scoring of its saved results files.</summary>
public sealed class AccuracyReportTests(NanodetPairFixture fixture) : IClassFixture<NanodetPairFixture>
{
    // The PR curve is a per-recall mean over classes; AP50 is one mean over (recall, class) cells. The same
    // cells, summed in another order: equal up to a few ulps of the values (about 1e-16), never more.
    private const double SummationOrderTolerance = 1e-12;

    [Fact]
    public void ReportJson_HoldsBothModels_AsTheCatalogNamesThem_WithThePrecisionPair()
    {
        var runs = ReportJson.ReadRuns(Path.Combine(fixture.OutDir, "report.json"));

        Assert.Equal(["nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-int8"], runs.Select(r => r.Model.Name));
        Assert.Equal(["FP32", "INT8"], runs.Select(r => r.Model.Precision));
        Assert.Equal("8dd32b85f2d273e9047f1d6b59e0b2fd008b1076338107bb547ac28942cdf90b", runs[1].Model.Sha256);
        Assert.Equal("416x416", runs[0].Model.InputSize);
        Assert.Equal("QOperator", runs[1].Model.Quantization);
        var comparison = Assert.Single(fixture.Report.Comparisons);
        Assert.Equal("nanodet-plus-m-1.5x-416", comparison.Baseline);
        Assert.Equal("nanodet-plus-m-1.5x-416-int8", comparison.Candidate);
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
        var ids = CocoGroundTruth.Load(TestPaths.CocoAnnotations).Images.Take(NanodetPairFixture.Images).Select(i => i.Id);
        Assert.All(fixture.Report.Runs, r => Assert.Equal(ids, r.EvaluatedImageIds!));
        Assert.True(fixture.Report.Data.Restricted);
        var md = File.ReadAllText(Path.Combine(fixture.OutDir, "report.md"));
        Assert.Contains("**6 of the 212 images were processed** (--limit 6), and every model is scored on those images only", md, StringComparison.Ordinal);
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
            Assert.Equal("intra=1 inter=0 sequential", latency.Settings);
        }
    }

    [Fact]
    public void ReportMarkdown_HasEverySection_AndLinksFilesThatExist()
    {
        var md = File.ReadAllText(Path.Combine(fixture.OutDir, "report.md"));
        foreach (var heading in new[] { "## Answer", "## Machine", "## Models", "## COCO stats", "## Latency and throughput", "## Precision-recall", "## Per-class AP", "## Examples" })
        {
            Assert.Contains(heading, md, StringComparison.Ordinal);
        }

        Assert.Contains("| AP (AP @[.50:.95] all) | " + Md.Stat(fixture.Report.Runs[0].AP) + " | " + Md.Stat(fixture.Report.Runs[1].AP) + " | ", md, StringComparison.Ordinal);
        var links = System.Text.RegularExpressions.Regex.Matches(md, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(4 + 2, links.Length); // 4 charts (one per-class delta for the one pair) and 2 examples
        Assert.All(links, l => Assert.True(new FileInfo(Path.Combine(fixture.OutDir, l)).Length > 10_000, l));
    }

    [Fact]
    public void Examples_HaveOnePanelPerModel()
    {
        var example = Path.Combine(fixture.OutDir, "examples", "000000000139.png");
        using var bitmap = SkiaSharp.SKBitmap.Decode(example);
        using var source = SkiaSharp.SKBitmap.Decode(Path.Combine(TestPaths.CocoImages, "000000000139.jpg"));
        Assert.Equal((2 * source.Width) + 12, bitmap.Width);
        Assert.True(bitmap.Height > source.Height);
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
