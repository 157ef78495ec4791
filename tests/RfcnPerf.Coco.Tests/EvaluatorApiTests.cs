namespace RfcnPerf.Coco.Tests;

/// <summary>The evaluator's public surface beyond the golden numbers: order of calls, params, arrays.</summary>
public sealed class EvaluatorApiTests
{
    [Fact]
    public void Steps_must_run_in_pycocotools_order()
    {
        var golden = GoldenCase.Load("basic_mixed");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt));

        Assert.Throws<InvalidOperationException>(evaluator.Accumulate);
        evaluator.Evaluate();
        Assert.Throws<InvalidOperationException>(evaluator.Summarize);
        evaluator.Accumulate();
        Assert.Equal(golden.Stats, evaluator.Summarize().Stats);
    }

    [Fact]
    public void No_evaluated_image_gives_minus_one_everywhere()
    {
        // np.unique([]) leaves nothing to evaluate: every E is empty and precision/recall stay -1.
        var golden = GoldenCase.Load("basic_mixed");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), new CocoEvalParams { ImgIds = [] });
        var summary = evaluator.Run();

        Assert.All(summary.Stats, s => Assert.Equal(-1.0, s));
        Assert.All(evaluator.Accumulation!.Precision.ToArray(), p => Assert.Equal(-1.0, p));
    }

    [Fact]
    public void Arrays_are_indexed_like_numpy()
    {
        var golden = GoldenCase.Load("basic_mixed");
        var (_, acc) = golden.Run(threads: 1);
        double[] expected = golden.ReadArray("precision.f64");

        // precision[t=3, r=40, k=2, a=0, m=2] in C order.
        int[] s = [.. acc.PrecisionShape];
        int flat = (((((3 * s[1]) + 40) * s[2]) + 2) * s[3] * s[4]) + 2;
        Assert.Equal(expected[flat], acc.GetPrecision(3, 40, 2, 0, 2));
        Assert.Equal(acc.GetPrecision(3, 40, 2, 0, 2), acc.GetPrecisionCurve(3, 2, 0, 2)[40]);
        Assert.Equal([1L, 2L, 3L], acc.CategoryIds);
        Assert.Equal(CocoEvalParams.DefaultRecThrs, acc.RecThrs);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.GetRecall(10, 0, 0, 0));
    }
}
