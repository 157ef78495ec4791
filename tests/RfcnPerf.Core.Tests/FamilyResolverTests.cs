using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;

namespace RfcnPerf.Core.Tests;

public sealed class FamilyResolverTests
{
    public static TheoryData<string, ModelSignature, ModelFamily> Recognised => new()
    {
        { "yolov8n", Sig.Yolov8, ModelFamily.Yolov8 },
        { "nanodet-plus 416", Sig.NanodetReal, ModelFamily.NanodetPlus },
        { "small nanodet", Sig.Nanodet(32, 2, 8, "cls8", "cls16", "cls32", "reg8", "reg16", "reg32"), ModelFamily.NanodetPlus },
        { "tf-od-api with :0", Sig.TfOdApi(suffix: true), ModelFamily.TfOdApi },
        { "tf-od-api without :0", Sig.TfOdApi(suffix: false), ModelFamily.TfOdApi },
    };

    [Theory]
    [MemberData(nameof(Recognised))]
    public void Resolve_infers_the_family_from_the_signature(string model, ModelSignature signature, ModelFamily expected)
    {
        var head = FamilyResolver.Resolve(signature, requested: null, model);

        Assert.Equal(expected, head.Family);
    }

    [Theory]
    [MemberData(nameof(Recognised))]
    public void Resolve_accepts_the_right_family_when_requested(string model, ModelSignature signature, ModelFamily expected)
    {
        Assert.Equal(expected, FamilyResolver.Resolve(signature, expected, model).Family);
    }

    [Fact]
    public void An_unfit_signature_names_the_expected_and_the_actual_inputs_and_outputs()
    {
        // An image classifier: one float input, one [1,1000] output.
        var classifier = new ModelSignature([Sig.T("data", "float", 1, 3, 224, 224)], [Sig.T("prob", "float", 1, 1000)]);

        var ex = Assert.Throws<RfcnPerfException>(() => FamilyResolver.Resolve(classifier, requested: null, "resnet50"));

        Assert.Contains("resnet50", ex.Message, StringComparison.Ordinal);
        Assert.Contains("data float[1,3,224,224]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("prob float[1,1000]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Yolov8HeadBase.Expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(NanodetHead.Expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(TfOdApiHead.Expected, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ModelSignature, ModelFamily, string> WrongFamily => new()
    {
        { Sig.Yolov8, ModelFamily.NanodetPlus, "nanodet-plus" },
        { Sig.Yolov8, ModelFamily.TfOdApi, "tf-od-api" },
        { Sig.NanodetReal, ModelFamily.Yolov8, "yolov8" },
        { Sig.NanodetReal, ModelFamily.TfOdApi, "tf-od-api" },
        { Sig.TfOdApi(true), ModelFamily.Yolov8, "yolov8" },
    };

    [Theory]
    [MemberData(nameof(WrongFamily))]
    public void Requesting_the_wrong_family_names_it_and_both_signatures(ModelSignature signature, ModelFamily requested, string familyName)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => FamilyResolver.Resolve(signature, requested, "my-model"));

        Assert.Contains($"my-model is not a {familyName} model", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected " + familyName + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains(signature.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yolov8", ModelFamily.Yolov8)]
    [InlineData("NanoDet-Plus", ModelFamily.NanodetPlus)]
    [InlineData("tf-od-api", ModelFamily.TfOdApi)]
    public void Family_names_parse_case_insensitively_and_round_trip(string name, ModelFamily family)
    {
        Assert.Equal(family, ModelFamilyNames.Parse(name));
        Assert.Equal(family, ModelFamilyNames.Parse(family.ToName()));
    }

    [Fact]
    public void An_unknown_family_name_lists_the_valid_ones()
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ModelFamilyNames.Parse("rfcn"));

        Assert.Contains("'rfcn'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("yolov8, nanodet-plus, tf-od-api", ex.Message, StringComparison.Ordinal);
    }
}
