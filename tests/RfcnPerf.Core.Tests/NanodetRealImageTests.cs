using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;

namespace RfcnPerf.Core.Tests;

public sealed class NanodetRealImageTests(NanodetFixture nanodet) : IClassFixture<NanodetFixture>
{
    [SkippableFact]
    public void The_mirror_model_opens_as_nanodet_plus_with_80_classes()
    {
        Assert.Equal(ModelFamily.NanodetPlus, nanodet.Session.Family);
        Assert.StartsWith(Testing.TestPaths.ModelMirror, nanodet.ModelPath, StringComparison.Ordinal);
        var head = Assert.IsType<NanodetHead>(nanodet.Session.Default.Head);
        Assert.Equal(80, head.ClassCount);
    }

    [SkippableTheory]
    [MemberData(nameof(PersonImages.All), MemberType = typeof(PersonImages))]
    public void Fp32_finds_every_large_person(long imageId, int persons)
    {
        PersonImages.AssertFindsEveryLargePerson(nanodet.Pipeline, imageId, persons);
    }

    [SkippableFact]
    public void Fp32_boxes_are_centred_on_the_persons()
    {
        PersonImages.AssertBoxesAreCentredOnThePersons(nanodet.Pipeline);
    }
}
