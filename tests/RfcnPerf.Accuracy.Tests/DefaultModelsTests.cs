using RfcnPerf.Core.Assets;
using RfcnPerf.Quantization;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>Which models `eval run` without --model compares, from what a store can resolve without the network.</summary>
public sealed class DefaultModelsTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public void Nanodet_fp32_our_int8_and_the_shipped_int8_are_compared_in_one_run()
    {
        TestPaths.RequireNanodet();

        // Offline, with only the mirror: the yolov8 pairs cannot be fetched, the NanoDet FP32 and shipped INT8
        // files are in the mirror, and our INT8 build of the FP32 model is made on the way (the COCO folder's images).
        var store = new AssetStore(temp.File("cache"), TestPaths.ModelMirror, allowNetwork: false);
        QuantizedModelBuilder.Register();
        var skipped = new List<string>();

        var models = AccuracyRunner.AvailableDefaultModels(store, skipped);

        Assert.Equal(["yolov8n", "nanodet-m-416", "nanodet-m-416-qdq-int8", "nanodet-m-416-int8"], models);
        Assert.Contains(skipped, s => s.Contains("yolov8n / yolov8n-int8", StringComparison.Ordinal));
        Assert.DoesNotContain(skipped, s => s.Contains("nanodet", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_any_model_file_only_the_default_model_is_named_and_every_pair_says_why()
    {
        var store = new AssetStore(temp.File("empty-cache"), mirrorDir: null, allowNetwork: false);
        var skipped = new List<string>();

        var models = AccuracyRunner.AvailableDefaultModels(store, skipped);

        Assert.Equal(["yolov8n"], models);
        Assert.Contains(skipped, s => s.Contains("nanodet-m-416 / nanodet-m-416-qdq-int8", StringComparison.Ordinal));
        Assert.DoesNotContain(skipped, s => s.Contains("shipped", StringComparison.Ordinal)); // never tried without its FP32 pair
    }
}
