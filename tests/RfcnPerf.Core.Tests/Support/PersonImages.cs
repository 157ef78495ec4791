using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>
/// Images of the annotated subset whose persons are all clearly visible: every GT person in them is
/// non-crowd with an area above 5000 px² (000000252219: three pedestrians; 000000269316: four people;
/// 000000491008: two).
/// </summary>
public static class PersonImages
{
    public static TheoryData<long, int> All => new()
    {
        { 252219, 3 },
        { 269316, 4 },
        { 491008, 2 },
    };

    // A correct pipeline's boxes scatter around the GT centres: over these 9 persons the mean signed centre
    // error is (-0.3, +0.3) px for yolov8n and (-1.2, -0.9) px for NanoDet with priors at
    // x*stride + (stride-1)/2. Priors (stride-1)/2 input pixels off move every box the same way: NanoDet
    // with priors at x*stride gives (-21.0, -15.0) px. 8 px separates the two with margin on both sides.
    public const double MaxMeanCentreError = 8;

    /// <summary>Every large person must be matched by its own confident person detection.</summary>
    public static void AssertFindsEveryLargePerson(DetectionPipeline pipeline, long imageId, int persons)
    {
        var result = PersonCheck.Match(pipeline, imageId);

        Assert.True(result.Truth.Count == persons, $"image {imageId} was chosen for {persons} large persons; the annotations have {result.Truth.Count}");
        Assert.True(result.Pairs.Count == persons, result.Description);
    }

    /// <summary>The matched boxes are not systematically displaced from the persons (mean signed centre error).</summary>
    public static void AssertBoxesAreCentredOnThePersons(DetectionPipeline pipeline)
    {
        var pairs = All.Select(row => PersonCheck.Match(pipeline, (long)row[0])).SelectMany(r => r.Pairs).ToList();
        Assert.True(pairs.Count >= 6, $"only {pairs.Count} persons matched; the centring check needs most of the 9");

        var dx = pairs.Average(p => (p.Detection.X + (p.Detection.Width / 2.0)) - (p.Truth.X + (p.Truth.Width / 2)));
        var dy = pairs.Average(p => (p.Detection.Y + (p.Detection.Height / 2.0)) - (p.Truth.Y + (p.Truth.Height / 2)));

        Assert.True(
            Math.Abs(dx) <= MaxMeanCentreError && Math.Abs(dy) <= MaxMeanCentreError,
            $"boxes are displaced from the GT persons on average by dx {dx:0.0} px, dy {dy:0.0} px over {pairs.Count} persons");
    }
}
