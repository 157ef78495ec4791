using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Reporting;
using static RfcnPerf.Bench.Tests.Cases;

namespace RfcnPerf.Bench.Tests;

public sealed class ResultAnalysisTests
{
    [Fact]
    public void BestLatencyIsTheLowestMedianAmongRealTimeCases()
    {
        var intra0 = Case(ModelAFp32, Intra(0), mean: 12, p50: 11);
        var intra1 = Case(ModelAFp32, Intra(1), mean: 10, p50: 9.5);
        var intra2 = Case(ModelAFp32, Intra(2), mean: 9, p50: 10); // lower mean, higher median: not the best
        var analysis = new ResultAnalysis([intra0, intra1, intra2], [ModelAFp32]);

        Assert.Same(intra1, analysis.BestLatency(ModelAFp32));
    }

    [Fact]
    public void BestLatencyIgnoresBatchesStreamsThroughputJobEndToEndAndFailures()
    {
        var realTime = Case(ModelAFp32, Intra(0), mean: 20);
        var cases = new[]
        {
            realTime,
            Case(ModelAFp32, Batch(4), mean: 5),                                    // batch > 1
            Case(ModelAFp32, Streams(2), mean: 5, benchmark: nameof(StreamsBenchmarks)), // two requests in flight
            Throughput(ModelAFp32, Intra(0), mean: 5),                              // batch 1 but the throughput job's few samples
            Case(ModelAFp32, Intra(0), mean: 5, benchmark: nameof(EndToEndBenchmarks), method: nameof(EndToEndBenchmarks.Inference)),
            Case(ModelAFp32, Intra(1), mean: 5, success: false),
            Case(ModelAFp32, Intra(1), mean: 5, category: BenchCategories.Stage),  // not inference
            Case(ModelBFp32, Intra(1), mean: 1),                                    // another model
        };
        var analysis = new ResultAnalysis(cases, [ModelAFp32, ModelBFp32]);

        Assert.Same(realTime, analysis.BestLatency(ModelAFp32));
    }

    [Fact]
    public void BestThroughputIsTheHighestImagesPerSecondOverBatchesAndStreams()
    {
        var single = Case(ModelAFp32, Intra(0), mean: 10);         // 100 images/s
        var batch8 = Throughput(ModelAFp32, Batch(8), mean: 64);   // 125 images/s
        var batch4 = Throughput(ModelAFp32, Batch(4), mean: 36);   // 111 images/s
        var streams = Case(ModelAFp32, Streams(2), mean: 17, benchmark: nameof(StreamsBenchmarks)); // 117.6 images/s
        var analysis = new ResultAnalysis([single, batch8, batch4, streams], [ModelAFp32]);

        var best = analysis.BestThroughput(ModelAFp32);

        Assert.Same(batch8, best);
        Assert.Equal(125, best!.ImagesPerSecond, 9);
        Assert.Equal(8, best.MsPerImage, 9);
        Assert.Equal(2000.0 / 17, streams.ImagesPerSecond, 9);
    }

    [Fact]
    public void NoBestConfigurationForAVariantWithoutSuccessfulInference()
    {
        var analysis = new ResultAnalysis([Case(ModelAFp32, Intra(0), mean: 10, success: false)], [ModelAFp32, ModelBFp32]);

        Assert.Null(analysis.BestLatency(ModelAFp32));
        Assert.Null(analysis.BestThroughput(ModelAFp32));
        Assert.Equal([ModelAFp32], analysis.Variants); // model-b has no case at all
    }

    [Fact]
    public void PrecisionPairsMatchModelBenchmarkMethodJobAndConfiguration()
    {
        var fp32Intra0 = Case(ModelAFp32, Intra(0), mean: 30);
        var fp32Intra1 = Case(ModelAFp32, Intra(1), mean: 60);
        var fp32Batch4 = Throughput(ModelAFp32, Batch(4), mean: 100);
        var int8Intra0 = Case(ModelAInt8, Intra(0), mean: 20);
        var int8Intra1 = Case(ModelAInt8, Intra(1), mean: 80);
        var int8Batch2 = Throughput(ModelAInt8, Batch(2), mean: 50); // no FP32 at batch 2
        var analysis = new ResultAnalysis([fp32Intra0, fp32Intra1, fp32Batch4, int8Intra0, int8Intra1, int8Batch2], [ModelAFp32, ModelAInt8]);

        var pairs = analysis.PrecisionPairs();

        Assert.Equal(2, pairs.Count);
        Assert.Same(fp32Intra0, pairs[0].Fp32);
        Assert.Same(int8Intra0, pairs[0].Int8);
        Assert.Equal(1.5, pairs[0].SpeedUp, 9);
        Assert.Same(fp32Intra1, pairs[1].Fp32);
        Assert.Same(int8Intra1, pairs[1].Int8);
        Assert.Equal(0.75, pairs[1].SpeedUp, 9);
    }

    [Fact]
    public void PrecisionPairsNeverCrossModelsJobsOrFailures()
    {
        var fp32B = Case(ModelBFp32, Intra(0), mean: 30);
        var int8A = Case(ModelAInt8, Intra(0), mean: 20);
        var fp32AOtherJob = Case(ModelAFp32, Intra(0), mean: 30, job: "single-core", benchmark: nameof(RealTimeBenchmarks));
        var int8AOtherMethod = Case(ModelAInt8, Intra(0), mean: 20, method: "Other", job: "single-core");
        var fp32AFailed = Case(ModelAFp32, Intra(1), mean: 30, success: false);
        var int8AFailedPartner = Case(ModelAInt8, Intra(1), mean: 20);
        var analysis = new ResultAnalysis([fp32B, int8A, fp32AOtherJob, int8AOtherMethod, fp32AFailed, int8AFailedPartner], [ModelAFp32, ModelAInt8, ModelBFp32]);

        Assert.Empty(analysis.PrecisionPairs());
    }

    [Fact]
    public void StagesTakeEachEndToEndMethodsMean()
    {
        CaseResult Stage(string method, double mean) =>
            Case(ModelAFp32, Intra(0), mean, p50: mean - 1, benchmark: nameof(EndToEndBenchmarks), method: method, category: BenchCategories.Stage);
        var analysis = new ResultAnalysis(
            [Stage(nameof(EndToEndBenchmarks.Decode), 4), Stage(nameof(EndToEndBenchmarks.Preprocess), 2), Stage(nameof(EndToEndBenchmarks.Inference), 30), Stage(nameof(EndToEndBenchmarks.Postprocess), 1), Stage(nameof(EndToEndBenchmarks.EndToEnd), 40)],
            [ModelAFp32]);

        var stage = Assert.Single(analysis.Stages());

        Assert.Equal((4.0, 2.0, 30.0, 1.0, 40.0, 29.0, 39.0), (stage.DecodeMs, stage.PreprocessMs, stage.InferenceMs, stage.PostprocessMs, stage.EndToEndMs, stage.InferenceP50Ms, stage.EndToEndP50Ms));
        Assert.Equal(0.25, stage.OutsideModelShare, 9);
    }

    [Fact]
    public void OverheadNeedsBothTheBareAndTheDetectorRun()
    {
        var bare = Case(ModelAFp32, Intra(0), mean: 10, benchmark: nameof(SessionOverheadBenchmarks), method: nameof(SessionOverheadBenchmarks.BareRun), category: BenchCategories.Overhead);
        var detector = Case(ModelAFp32, Intra(0), mean: 10.2, benchmark: nameof(SessionOverheadBenchmarks), method: nameof(SessionOverheadBenchmarks.DetectorRun), category: BenchCategories.Overhead);
        var bareOnly = Case(ModelBFp32, Intra(0), mean: 10, benchmark: nameof(SessionOverheadBenchmarks), method: nameof(SessionOverheadBenchmarks.BareRun), category: BenchCategories.Overhead);
        var analysis = new ResultAnalysis([bare, detector, bareOnly], [ModelAFp32, ModelBFp32]);

        var row = Assert.Single(analysis.Overhead());

        Assert.Equal(ModelAFp32, row.Variant);
        Assert.Same(bare, row.Bare);
        Assert.Same(detector, row.Detector);
    }
}
