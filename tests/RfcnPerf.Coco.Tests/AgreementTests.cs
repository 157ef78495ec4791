using RfcnPerf.Coco.Analysis;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>FP32-vs-INT8 detection agreement on a hand-built pair whose outcomes are known by construction.</summary>
public sealed class AgreementTests
{
    private const double Tau = 0.3;

    private static readonly CocoDetection[] Fp32 =
    [
        new(1, 1, 0, 0, 100, 100, 0.9),     // kept: the INT8 box has IoU 0.98
        new(1, 1, 200, 0, 100, 100, 0.8),   // moved: IoU 0.54
        new(1, 2, 0, 200, 100, 100, 0.7),   // relabelled: the INT8 box there is class 1
        new(1, 1, 400, 400, 50, 50, 0.6),   // lost: its INT8 twin scores below tau
        new(1, 1, 300, 300, 20, 20, 0.2),   // below tau
    ];

    private static readonly CocoDetection[] Int8 =
    [
        new(1, 1, 0, 0, 100, 102, 0.88),
        new(1, 1, 230, 0, 100, 100, 0.79),
        new(1, 1, 0, 200, 100, 100, 0.7),
        new(1, 2, 500, 0, 40, 40, 0.5),      // gained
        new(1, 1, 400, 400, 50, 50, 0.25),   // below tau
        new(2, 2, 10, 10, 40, 40, 0.95),     // gained, on an image where FP32 found nothing above tau
    ];

    [Fact]
    public void Each_outcome_is_counted_once_and_the_classes_partition_each_model()
    {
        var (gt, fp32, int8) = Load(Fp32, Int8);

        var r = DetectionAgreement.Compare(gt, fp32, int8, new AgreementOptions(Tau));

        Assert.Equal(new AgreementCounts(1, 1, 1, 1, 2), r.Totals);
        Assert.Equal(4, r.Totals.Baseline);
        Assert.Equal(5, r.Totals.Candidate);
        Assert.Equal(1.0 / 6, r.Totals.AgreementRate);
        Assert.Equal(
            [AgreementOutcome.Kept, AgreementOutcome.Moved, AgreementOutcome.Relabelled, AgreementOutcome.Lost, AgreementOutcome.BelowThreshold],
            r.BaselineOutcomes);
        Assert.Equal(
            [AgreementOutcome.Kept, AgreementOutcome.Moved, AgreementOutcome.Relabelled, AgreementOutcome.Gained, AgreementOutcome.BelowThreshold, AgreementOutcome.Gained],
            r.CandidateOutcomes);

        // Per class: class 1 has FP32's kept, moved and lost boxes and INT8's relabelled-into; class 2 FP32's relabelled
        // box and both gained ones.
        var one = r.PerClass.Single(c => c.CategoryId == 1);
        var two = r.PerClass.Single(c => c.CategoryId == 2);
        Assert.Equal((new AgreementCounts(1, 1, 0, 1, 0), 1), (one.Counts, one.RelabelledInto));
        Assert.Equal((new AgreementCounts(0, 0, 1, 0, 2), 0), (two.Counts, two.RelabelledInto));
        Assert.Equal(r.Totals, Sum(r.PerClass.Select(c => c.Counts)));
        Assert.Equal(r.Totals, Sum(r.PerImage.Select(i => i.Counts)));
        Assert.Equal([1L, 2L], r.MostDisagreeing(5).Select(i => i.ImageId));
    }

    [Fact]
    public void Swapping_the_models_turns_lost_into_gained()
    {
        var (gt, fp32, int8) = Load(Fp32, Int8);

        var forward = DetectionAgreement.Compare(gt, fp32, int8, new AgreementOptions(Tau));
        var backward = DetectionAgreement.Compare(gt, int8, fp32, new AgreementOptions(Tau));

        var f = forward.Totals;
        Assert.Equal(new AgreementCounts(f.Kept, f.Moved, f.Relabelled, f.Gained, f.Lost), backward.Totals);
        Assert.Equal(forward.BaselineOutcomes.Select(Swap), backward.CandidateOutcomes);
        Assert.Equal(forward.CandidateOutcomes.Select(Swap), backward.BaselineOutcomes);
    }

    [Fact]
    public void A_model_agrees_with_itself()
    {
        var (gt, fp32, _) = Load(Fp32, Int8);

        var r = DetectionAgreement.Compare(gt, fp32, fp32, new AgreementOptions(Tau));

        Assert.Equal(new AgreementCounts(4, 0, 0, 0, 0), r.Totals);
        Assert.Equal(1, r.Totals.AgreementRate);
        Assert.Empty(r.MostDisagreeing(3));
    }

    private static AgreementOutcome Swap(AgreementOutcome o) =>
        o == AgreementOutcome.Lost ? AgreementOutcome.Gained : o == AgreementOutcome.Gained ? AgreementOutcome.Lost : o;

    private static AgreementCounts Sum(IEnumerable<AgreementCounts> counts) =>
        counts.Aggregate(new AgreementCounts(0, 0, 0, 0, 0), (a, b) => new(a.Kept + b.Kept, a.Moved + b.Moved, a.Relabelled + b.Relabelled, a.Lost + b.Lost, a.Gained + b.Gained));

    private static (CocoGroundTruth, CocoResults, CocoResults) Load(CocoDetection[] baseline, CocoDetection[] candidate)
    {
        using var temp = new TempDir();
        var path = temp.Write("gt.json", """
            {"images":[{"id":1,"width":640,"height":480},{"id":2,"width":640,"height":480},{"id":3,"width":640,"height":480}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,100,100],"area":10000,"iscrowd":0}],
             "categories":[{"id":1,"name":"a"},{"id":2,"name":"b"}]}
            """);
        var gt = CocoGroundTruth.Load(path);
        return (gt, CocoResults.FromDetections(baseline, gt), CocoResults.FromDetections(candidate, gt));
    }
}
