using RfcnPerf.Coco.Analysis;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>The diagnostics on COCOeval's matching: confidence sweep, confusion matrix, calibration.</summary>
public sealed class DetectionAnalysisTests
{
    // Sums of a handful of doubles computed by hand here and in the code in a different order.
    private const double HandTolerance = 1e-12;

    public static TheoryData<string> GoldenCases() => new(["real_val2017_subset_synth", "rand_02_crowd_heavy", "rand_03_ties", "use_cats_0_over100", "crowd_region", "large_tiled5k_36k"]);

    [Fact]
    public void Hand_built_case_gives_the_numbers_worked_out_by_hand()
    {
        using var temp = new TempDir();
        var (gt, dt) = TideReference.Get("cls").Load(temp); // a class-B box (0.9) on a class-A truth; a class-A true positive (0.8) on another image

        var a = DetectionAnalysis.Analyze(gt, dt);

        // Ranked: 0.9 false positive, 0.8 true positive; 2 ground truths. F1 is best (0.5) keeping both.
        Assert.Equal(0.8, a.Confidence.BestThreshold);
        Assert.Equal(0.5, a.Confidence.BestF1);
        Assert.Equal((0.5, 0.5), (a.Confidence.BestPrecision, a.Confidence.BestRecall));
        Assert.Equal(0, a.Confidence.F1[85]); // only the false positive scores >= 0.85
        Assert.Equal(0.5, a.Confidence.F1[50]);

        // Calibration: bin 0.8 holds one true positive (gap 0.2), bin 0.9 one false positive (gap 0.9).
        Assert.Equal((0.5 * 0.2) + (0.5 * 0.9), a.Calibration.ExpectedCalibrationError, HandTolerance);
        Assert.Equal(0.9, a.Calibration.MaximumCalibrationError, HandTolerance);
        Assert.Equal(1, a.Calibration.Bins[8].Count);
        Assert.Equal(1.0, a.Calibration.Bins[8].Accuracy);

        // At the best-F1 threshold (0.8) both count: A found once on the diagonal, the other A taken for a B.
        var m = a.Confusion;
        Assert.Equal(0.8, m.ScoreThreshold);
        Assert.Equal(1, m.Counts[0][0]);
        Assert.Equal(1, m.Counts[0][1]);
        Assert.Equal(0, m.Counts[0][m.Background]);
        Assert.Equal(0, m.Counts[m.Background].Sum());
        var pair = Assert.Single(m.MostConfused(5));
        Assert.Equal(("cat-a", "cat-b", 1, 0.5), (pair.TrueName, pair.PredictedName, pair.Count, pair.ShareOfTrueClass));
        Assert.Equal([0.5, 0.5, 0.0], m.Normalized[0]);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Confusion_rows_sum_to_the_ground_truths_and_columns_to_the_detections(string name)
    {
        var golden = GoldenCase.Load(name);
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var dt = CocoResults.Load(golden.ResultsPath, gt);

        foreach (double threshold in new[] { 0.0, 0.3, 0.7 })
        {
            var a = DetectionAnalysis.Analyze(gt, dt, new DetectionAnalysisOptions { ConfusionThreshold = threshold, Threads = 2 });
            var m = a.Confusion;
            var (truths, kept) = CountByHand(gt, dt, threshold);
            for (int c = 0; c < m.Background; c++)
            {
                long id = m.CategoryIds[c];
                Assert.Equal(truths.GetValueOrDefault(id), m.Counts[c].Sum());
                Assert.Equal(kept.GetValueOrDefault(id), m.Counts.Sum(row => row[c]));
            }

            Assert.Equal(0, m.Counts[m.Background][m.Background]);
            Assert.Equal(a.Confidence.GroundTruths, truths.Values.Sum());

            // The diagonal is COCOeval's true positives at IoU 0.5: the recall of the confidence sweep at the same threshold.
            int diagonal = Enumerable.Range(0, m.Background).Sum(c => m.Counts[c][c]);
            int step = (int)Math.Round(threshold * 100);
            Assert.Equal(a.Confidence.Recall[step] * a.Confidence.GroundTruths, diagonal, 1e-9);
            Assert.True(a.Confidence.BestF1 >= a.Confidence.F1.Max(), $"{name}: best F1 over all scores is at least the best on the grid");
        }
    }

    [Fact]
    public void Calibration_bins_hold_every_counted_detection()
    {
        var golden = GoldenCase.Load("real_val2017_subset_synth");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var dt = CocoResults.Load(golden.ResultsPath, gt);

        var a = DetectionAnalysis.Analyze(gt, dt);

        Assert.Equal(a.Confidence.Detections, a.Calibration.Bins.Sum(b => b.Count));
        Assert.Equal(a.Confidence.Detections, a.Calibration.Detections);
        Assert.InRange(a.Calibration.ExpectedCalibrationError, 0, a.Calibration.MaximumCalibrationError);
        Assert.All(a.Calibration.Bins.Where(b => b.Count > 0), b => Assert.InRange(b.MeanScore, b.Lower, b.Upper));
    }

    [Fact]
    public void Results_without_a_box_analyse_to_zeros_without_failing()
    {
        var golden = GoldenCase.Load("empty_detections");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var dt = CocoResults.Load(golden.ResultsPath, gt);

        var a = DetectionAnalysis.Analyze(gt, dt);

        Assert.Equal(0, dt.Count);
        Assert.Equal(0, a.Tide.Ap);
        Assert.True(a.Tide[TideErrorType.Missed].Count > 0);
        Assert.Equal((0, 0.0), (a.Confidence.Detections, a.Confidence.BestF1));
        Assert.Equal((0, 0.0), (a.Calibration.Detections, a.Calibration.ExpectedCalibrationError));
        Assert.Equal(a.Confidence.GroundTruths, Enumerable.Range(0, a.Confusion.Background).Sum(c => a.Confusion.Counts[c][a.Confusion.Background]));
        Assert.Equal(new AgreementCounts(0, 0, 0, 0, 0), DetectionAgreement.Compare(gt, dt, dt, new AgreementOptions(0.3)).Totals);
    }

    // Non-crowd ground truths per class, and detections per class scoring >= threshold within COCOeval's 100 per
    // (image, class) and not matched to a crowd box, counted without the analysis code.
    private static (Dictionary<long, int> Truths, Dictionary<long, int> Kept) CountByHand(CocoGroundTruth gt, CocoResults dt, double threshold)
    {
        var truths = new Dictionary<long, int>();
        for (int i = 0; i < gt.AnnotationCount; i++)
        {
            var ann = gt.GetAnnotation(i);
            if (!ann.IsCrowd && gt.TryGetCategory(ann.CategoryId, out _))
            {
                truths[ann.CategoryId] = truths.GetValueOrDefault(ann.CategoryId) + 1;
            }
        }

        var evaluator = new CocoEvaluator(gt, dt, new CocoEvalParams { IouThrs = [0.5], AreaRanges = [CocoEvalParams.DefaultAreaRanges[0]], MaxDets = [100] }) { RecordMatches = true };
        evaluator.Evaluate();
        var kept = new Dictionary<long, int>();
        var records = evaluator.EvalImages;
        for (int k = 0; k < records.CategoryIds.Count; k++)
        {
            for (int i = 0; i < records.ImageIds.Count; i++)
            {
                var r = records[k, i];
                for (int d = 0; d < r.DetectionCount; d++)
                {
                    if (!r.IsIgnored(d, 0, 0) && r.DetectionScore(d) >= threshold)
                    {
                        kept[r.CategoryId] = kept.GetValueOrDefault(r.CategoryId) + 1;
                    }
                }
            }
        }

        return (truths, kept);
    }
}
