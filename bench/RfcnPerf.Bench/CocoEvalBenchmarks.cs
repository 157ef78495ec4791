using BenchmarkDotNet.Attributes;
using RfcnPerf.Coco;

namespace RfcnPerf.Bench;

/// <summary>
/// The COCO evaluator on the val2017-sized golden case <c>large_tiled5k_36k</c> (5,000 images, 36,241 ground
/// truths, 40,627 detections): the whole scoring run (load + evaluate + accumulate + summarize) as the baseline,
/// and each stage alone on data prepared in setup. pycocotools needs about 10 s for this case (JSON parsing
/// excluded), faster-coco-eval about 3.4 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class CocoEvalBenchmarks
{
    private const string CaseName = "large_tiled5k_36k";

    private string gtPath = string.Empty;
    private string dtPath = string.Empty;
    private CocoGroundTruth gt = null!;
    private CocoResults dt = null!;
    private CocoEvaluator evaluated = null!;
    private CocoEvaluator accumulated = null!;

    /// <summary>Worker threads of the evaluator (the machine has 2 cores).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(CocoEvalCases.Locate(), CaseName);
        gtPath = Path.Combine(dir, "gt.json");
        dtPath = Path.Combine(dir, "dt.json");
        gt = CocoGroundTruth.Load(gtPath);
        dt = CocoResults.Load(dtPath, gt);
        evaluated = new CocoEvaluator(gt, dt, maxDegreeOfParallelism: Threads);
        evaluated.Evaluate();
        accumulated = new CocoEvaluator(gt, dt, maxDegreeOfParallelism: Threads);
        accumulated.Evaluate();
        accumulated.Accumulate();
    }

    /// <summary>What <c>rfcnperf eval score</c> does: both files read and parsed, then the three steps.</summary>
    [Benchmark(Baseline = true)]
    public double LoadEvaluateAccumulateSummarize()
    {
        var groundTruth = CocoGroundTruth.Load(gtPath);
        var results = CocoResults.Load(dtPath, groundTruth);
        var evaluator = new CocoEvaluator(groundTruth, results, maxDegreeOfParallelism: Threads);
        evaluator.Evaluate();
        evaluator.Accumulate();
        return evaluator.Summarize().Stats[0];
    }

    [Benchmark]
    public int LoadGroundTruth() => CocoGroundTruth.Load(gtPath).AnnotationCount;

    [Benchmark]
    public int LoadResults() => CocoResults.Load(dtPath, gt).Count;

    [Benchmark]
    public CocoEvaluator Evaluate()
    {
        var evaluator = new CocoEvaluator(gt, dt, maxDegreeOfParallelism: Threads);
        evaluator.Evaluate();
        return evaluator;
    }

    [Benchmark]
    public CocoAccumulation Accumulate() => evaluated.Accumulate();

    [Benchmark]
    public double Summarize() => accumulated.Summarize().Stats[0];
}
