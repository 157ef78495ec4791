using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;

namespace RfcnPerf.Core.Tests;

public sealed class Yolov8nRealImageTests(Yolov8nFixture yolo) : IClassFixture<Yolov8nFixture>
{
    [Theory]
    [MemberData(nameof(PersonImages.All), MemberType = typeof(PersonImages))]
    public void Finds_every_large_person(long imageId, int persons)
    {
        Assert.Equal(ModelFamily.Yolov8, yolo.Session.Family);
        PersonImages.AssertFindsEveryLargePerson(yolo.Pipeline, imageId, persons);
    }

    [Fact]
    public void Boxes_are_centred_on_the_persons()
    {
        PersonImages.AssertBoxesAreCentredOnThePersons(yolo.Pipeline);
    }
}
