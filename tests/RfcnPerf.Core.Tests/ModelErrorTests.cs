using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class ModelErrorTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public void Opening_nanodet_as_tf_od_api_names_the_family_and_both_signatures()
    {
        var ex = Assert.Throws<RfcnPerfException>(() =>
            DetectorSession.Open(MirrorModels.NanodetFp32Path, new SessionSettings(), 1, ModelFamily.TfOdApi));

        Assert.Contains("nanodet-plus-m-1.5x-416-fp32 is not a tf-od-api model", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TfOdApiHead.Expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("input.1 float[1,3,416,416]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("792 float[1,2704,80]", ex.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("text")]
    [InlineData("truncated")]
    public void A_file_that_is_not_a_loadable_onnx_model_is_a_user_error_naming_it(string kind)
    {
        var path = temp.File($"{kind}.onnx");
        if (kind == "text")
        {
            File.WriteAllText(path, "this is not an ONNX model");
        }
        else
        {
            var bytes = File.ReadAllBytes(MirrorModels.NanodetFp32Path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        }

        var ex = Assert.Throws<RfcnPerfException>(() => DetectorSession.Open(path, new SessionSettings(), 1));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_is_a_user_error_naming_it()
    {
        var path = temp.File("missing.onnx");

        var ex = Assert.Throws<RfcnPerfException>(() => DetectorSession.Open(path, new SessionSettings(), 1));

        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locating_an_unknown_name_lists_the_known_models()
    {
        var ex = Assert.Throws<RfcnPerfException>(() => ModelLocator.Locate("no-such-model", MirrorModels.MirrorOnlyStore()));

        Assert.Contains("'no-such-model'", ex.Message, StringComparison.Ordinal);
        Assert.All(ModelCatalog.All, m => Assert.Contains(m.Name, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Locating_a_missing_onnx_path_says_file_not_found()
    {
        var path = temp.File("sub/model.onnx");

        var ex = Assert.Throws<RfcnPerfException>(() => ModelLocator.Locate(path, MirrorModels.MirrorOnlyStore()));

        Assert.Contains("model file not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Locating_a_file_recognises_catalog_models_by_hash()
    {
        var located = ModelLocator.Locate(MirrorModels.NanodetFp32Path, MirrorModels.MirrorOnlyStore());

        Assert.Equal(NanodetFixture.ModelName, located.Catalog?.Name);
        Assert.Equal(NanodetFixture.ModelName, located.DisplayName);
    }

    [SkippableFact]
    public void Locating_a_catalog_name_is_case_insensitive_and_resolves_through_the_store()
    {
        var located = ModelLocator.Locate("NanoDet-Plus-M-1.5x-416", MirrorModels.RequireMirror());

        Assert.Equal(MirrorModels.NanodetFp32Path, located.Path);
        Assert.Equal(NanodetFixture.ModelName, located.DisplayName);
    }
}
