using RfcnPerf.Onnx;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>`rfcnperf model quantize` refusals: one stderr line, exit 2, nothing written.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ModelQuantizeCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-quantize-cli-").FullName;

    private string Out => Path.Combine(dir, "out.onnx");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void AssertRefused(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(["model", "quantize", .. args, "--out", Out]);

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Out), "a refused quantization must not write its output");
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    private string Calibration => Path.Combine(TestPaths.CocoDir, "calibration.txt");

    [SkippableFact]
    public void Int8_model_is_refused()
    {
        TestPaths.RequireNanodet();
        var int8 = Path.Combine(TestPaths.ModelMirror!, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-int8.onnx");
        AssertRefused("already quantized", int8, "--calibration", Calibration);
    }

    [Fact]
    public void External_data_is_refused()
    {
        var path = Path.Combine(dir, "external.onnx");
        new OnnxGraphBuilder()
            .Input("images", OnnxElementType.Float, 1, 3, 8, 8)
            .ExternalInitializer("w", "weights.bin", 84, 3, 1, 1)
            .Conv("images", "w", null, "c")
            .Node("Reshape", ["c", "shape"], ["output0"])
            .Initializer("shape", [1L, 84, 64], 3)
            .Output("output0", OnnxElementType.Float, 1, 84, 64)
            .Save(path);

        AssertRefused("external file", path, "--calibration", Calibration, "--quantize-head");
    }

    [Fact]
    public void Empty_calibration_folder_is_refused()
    {
        var empty = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;
        AssertRefused("no .jpg/.jpeg/.png images", "yolov8n", "--calibration", empty);
    }

    [Fact]
    public void Unreadable_calibration_image_is_refused()
    {
        var bad = Directory.CreateDirectory(Path.Combine(dir, "bad")).FullName;
        File.WriteAllText(Path.Combine(bad, "broken.jpg"), "not a jpeg");
        AssertRefused("broken.jpg", "yolov8n", "--calibration", bad);
    }

    [Fact]
    public void List_naming_missing_files_is_refused()
    {
        var list = Path.Combine(dir, "list.txt");
        File.WriteAllLines(list, ["# two images, one missing", Path.Combine(TestPaths.CocoImages, "000000000139.jpg"), "no-such-image.jpg"]);
        AssertRefused("1 of 2 listed images not found (first: no-such-image.jpg", "yolov8n", "--calibration", list);
    }

    [Fact]
    public void Exclude_naming_no_node_is_refused()
    {
        AssertRefused("--exclude NoSuchNode names no node", "yolov8n", "--calibration", Calibration, "--exclude", "NoSuchNode");
    }
}
