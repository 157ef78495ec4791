using RfcnPerf.Coco.Analysis;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>The TIDE port against tidecv's own numbers, and on hand-built cases whose errors are known by construction.</summary>
public sealed class TideTests
{
    // The bar is 0.01 AP point; the port performs tidecv's operations in tidecv's order (the same stable
    // sorts, the same push order, the same class order, Python 3.11's left-to-right sum()), so it is held to the same
    // doubles. (Python 3.12 made sum() compensated: regenerating with it could move the last bits.)
    private const double ApTolerance = 0;

    public static TheoryData<string> Cases() => new(TideReference.Names());

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Matches_tidecv(string name)
    {
        var expected = TideReference.Get(name);
        if (expected.NeedsCocoSubset)
        {
            TestPaths.RequireCocoSubset();
        }

        using var temp = new TempDir();
        var (gt, dt) = expected.Load(temp);
        var result = Tide.Evaluate(gt, dt);

        Assert.Equal(expected.Counts, result.Errors.Select(e => e.Count));
        Assert.Equal(expected.Ap, result.Ap, ApTolerance);
        for (int t = 0; t < expected.DeltaAp.Length; t++)
        {
            Assert.True(Math.Abs(expected.DeltaAp[t] - result.Errors[t].DeltaAp) <= ApTolerance,
                $"{name} {Tide.ShortNames[t]}: tidecv {expected.DeltaAp[t]:R}, ours {result.Errors[t].DeltaAp:R}");
        }

        Assert.Equal(expected.FalsePositive, result.FalsePositiveDeltaAp, ApTolerance);
        Assert.Equal(expected.FalseNegative, result.FalseNegativeDeltaAp, ApTolerance);
    }

    /// <summary>The hand-built cases (tools/tide-reference/make_cases.py): the errors each was built to have.</summary>
    [Theory]
    [InlineData("cls", new[] { 1, 0, 0, 0, 0, 0 })]
    [InlineData("loc", new[] { 0, 1, 0, 0, 0, 0 })]
    [InlineData("both", new[] { 0, 0, 1, 0, 0, 1 })] // nothing can fix its ground truth: also missed
    [InlineData("dupe", new[] { 0, 0, 0, 1, 0, 0 })]
    [InlineData("bkg", new[] { 0, 0, 0, 0, 1, 0 })]
    [InlineData("miss", new[] { 0, 0, 0, 0, 0, 1 })]
    [InlineData("crowd", new[] { 0, 0, 0, 0, 3, 0 })] // two of them ignored by a crowd box, still counted
    [InlineData("no-gt-image", new[] { 0, 0, 0, 0, 2, 0 })]
    [InlineData("ties", new[] { 1, 1, 0, 0, 2, 0 })]
    [InlineData("over-100", new[] { 0, 0, 0, 0, 99, 1 })] // the 101st box, which would match, is cut
    public void Hand_built_cases_have_the_errors_they_were_built_with(string name, int[] counts)
    {
        using var temp = new TempDir();
        var (gt, dt) = TideReference.Get(name).Load(temp);

        var result = Tide.Evaluate(gt, dt);

        Assert.Equal(counts, result.Errors.Select(e => e.Count));
        for (int t = 0; t < counts.Length; t++)
        {
            // A type with no error costs nothing; in the cases built around one type, that type costs AP.
            Assert.True(counts[t] == 0 ? result.Errors[t].DeltaAp == 0 : counts.Sum() > 1 || result.Errors[t].DeltaAp > 0, $"{name} {Tide.ShortNames[t]}");
        }
    }

    [Fact]
    public void A_detection_inside_a_crowd_box_of_its_class_has_no_AP_point()
    {
        using var temp = new TempDir();
        var (gt, dt) = TideReference.Get("crowd").Load(temp);

        var result = Tide.Evaluate(gt, dt);

        // Class A: both ground truths found, the two boxes in crowds ignored (AP 100); class B: one false positive
        // and no ground truth (AP 0, still averaged, as tidecv does).
        Assert.Equal(50, result.Ap);
        Assert.Equal(0, result.FalsePositiveDeltaAp);
    }

    [Fact]
    public void Restricting_to_some_images_analyses_only_those()
    {
        using var temp = new TempDir();
        var (gt, dt) = TideReference.Get("no-gt-image").Load(temp);

        var result = Tide.Evaluate(gt, dt, new TideOptions { ImageIds = [1] });

        Assert.Equal(1, result.Images);
        Assert.Equal(1, result.Detections);
        Assert.All(result.Errors, e => Assert.Equal(0, e.Count));
        Assert.Throws<CocoException>(() => Tide.Evaluate(gt, dt, new TideOptions { ImageIds = [404] }));
    }
}
