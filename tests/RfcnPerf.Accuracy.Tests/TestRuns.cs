using System.Text.Json.Nodes;
using RfcnPerf.Core.Inference;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>Options and helpers shared by the tests that really run models (NanoDet from the offline mirror).</summary>
internal static class TestRuns
{
    public static string NanodetFp32 => Path.Combine(TestPaths.ModelMirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-fp32.onnx");

    public static string NanodetInt8 => Path.Combine(TestPaths.ModelMirror, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-int8.onnx");

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
