using System.CommandLine;
using System.Text.Json;
using RfcnPerf.Onnx;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>`rfcnperf model info|batchify` end to end through the command registry and the CLI's error mapping.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ModelCommandsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-cli-tests-").FullName;

    private static string NanoDet
    {
        get
        {
            TestPaths.RequireNanodet();
            return Path.Combine(TestPaths.ModelMirror!, "nanodet-plus-m-1.5x-416", "nanodet-plus-m-1.5x-416-fp32.onnx");
        }
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void Info_PrintsTheReport()
    {
        var (exit, stdout, stderr) = Run("model", "info", NanoDet);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("input.1 float32 [1,3,416,416]", stdout, StringComparison.Ordinal);
        Assert.Contains("Conv 73", stdout, StringComparison.Ordinal);
        Assert.Contains("GFLOPs (float) per image", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void InfoJson_IsMachineReadable()
    {
        var (exit, stdout, _) = Run("model", "info", NanoDet, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(225, json.RootElement.GetProperty("nodeCount").GetInt32());
    }

    [Fact]
    public void Info_OnTruncatedFile_IsOneErrorLineAndExitCode2()
    {
        var path = Path.Combine(dir, "truncated.onnx");
        var yolo = RfcnPerf.Core.Assets.AssetStore.FromEnvironment().Resolve(RfcnPerf.Core.Assets.ModelCatalog.Find("yolov8n")!);
        File.WriteAllBytes(path, File.ReadAllBytes(yolo)[..1000]);

        var (exit, stdout, stderr) = Run("model", "info", path);

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}: expected an ONNX model", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_OnDanglingInput_IsExitCode2()
    {
        var path = Path.Combine(dir, "dangling.onnx");
        new OnnxGraphBuilder().Input("x", OnnxElementType.Float, 1).Add("x", "ghost", "y").Output("y", OnnxElementType.Float, 1).Save(path);

        var (exit, _, stderr) = Run("model", "info", path);

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Contains("input 'ghost', which is not a graph input, an initializer or any node's output", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Batchify_WritesTheModel_AndRefusesUnsafeGraphsWithExitCode2()
    {
        var output = Path.Combine(dir, "nanodet-dyn.onnx");
        var (exit, stdout, _) = Run("model", "batchify", NanoDet, output);
        Assert.Equal(0, exit);
        Assert.Contains("38 Reshape target(s) 1 -> 0", stdout, StringComparison.Ordinal);
        Assert.True(OnnxBatchify.HasDynamicBatch(output));

        var unsafeModel = Path.Combine(dir, "reduce.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3)
            .Node("ReduceSum", ["x"], ["y"], OnnxAttribute.Int("keepdims", 1))
            .Output("y", OnnxElementType.Float, 1, 1)
            .Save(unsafeModel);
        var (refusedExit, _, stderr) = Run("model", "batchify", unsafeModel, Path.Combine(dir, "never.onnx"));
        Assert.Equal(CliErrors.UserError, refusedExit);
        Assert.Contains("cannot open the batch dimension safely", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Speed_prints_the_ratio_with_its_interval_and_verdict_and_the_aa_check()
    {
        // Three rounds keep the test short: every verdict is then "unknown", saying why.
        var (exit, stdout, stderr) = Run("model", "speed", "yolov8n", "yolov8n", "--rounds", "3", "--seed", "5", "--no-spin");

        Assert.True(exit == 0, stderr);
        Assert.Contains("the order of each round drawn from seed 5", stdout, StringComparison.Ordinal);
        Assert.Contains("A/A noise check (yolov8n against a second session of itself): ", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nyolov8n +[0-9.]+ .* [0-9.]+x \[[0-9.]+, [0-9.]+\] +[0-9.]+x +unknown \(3 rounds < 30\) +3\n", stdout);
        Assert.Contains("one interleaved run, every model each round: fixed: 3 rounds as asked (no stopping rule); seed 5; noise steal", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threshold", "five", "--threshold: threshold 'five' is not a number (write 5% or 0.05)")]
    [InlineData("--block", "4", "a comparison block needs at least 5 requests, got 4")]
    [InlineData("--rounds", "0", "--rounds must be at least 1, got 0")]
    public void Speed_option_mistakes_are_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var (exit, stdout, stderr) = Run("model", "speed", "yolov8n", option, value);

        Assert.Equal(CliErrors.UserError, exit);
        Assert.Equal("", stdout);
        Assert.Equal("error: " + expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in CommandRegistry.All())
        {
            root.Subcommands.Add(command);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
            }));
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
