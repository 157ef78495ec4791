using RfcnPerf.Testing;

namespace RfcnPerf.Onnx.Tests;

/// <summary>The NanoDet files of the offline mirror (always present in CI) and scratch folders.</summary>
internal static class TestModels
{
    public static string NanoDetFp32 => Mirror("nanodet-plus-m-1.5x-416-fp32.onnx");

    public static string NanoDetInt8 => Mirror("nanodet-plus-m-1.5x-416-int8.onnx");

    public static string Path(string name) => name switch
    {
        "fp32" => NanoDetFp32,
        "int8" => NanoDetInt8,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "fp32 or int8"),
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
        var path = System.IO.Path.Combine(TestPaths.ModelMirror, "nanodet-plus-m-1.5x-416", file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test model not found at {path}; set RFCNPERF_ASSET_MIRROR to the offline model mirror.", path);
    }
}
