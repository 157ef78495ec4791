using System.Runtime.InteropServices;
using System.Xml.Linq;
using RfcnPerf.Coco.Cli;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// The tool package's command as users run it: rfcnperf-eval is the entry point, scores a plain <c>eval score</c>
/// itself and hands every other command line to rfcnperf.dll beside it (through the apphost packed there, which
/// arrives without execute bits, as NuGet keeps no file modes). The package's tools folder is extracted without the
/// other platforms' native libraries and the COCO sample.
/// </summary>
public sealed class ShippedToolTests : IDisposable
{
    private readonly TempDir dir = new();
    private readonly TempDir data = new();

    public void Dispose()
    {
        dir.Dispose();
        data.Dispose();
    }

    [SkippableFact]
    public void The_package_command_is_the_native_entry_point()
    {
        Skip.If(!Extract(), ToolPackage.Missing);
        var command = XDocument.Load(Path.Combine(dir.Path, "DotnetToolSettings.xml")).Descendants("Command").Single();

        Assert.Equal("rfcnperf", (string?)command.Attribute("Name"));
        Assert.Equal(ToolPackage.NativeEvalFile, (string?)command.Attribute("EntryPoint"));
        Assert.Equal("executable", (string?)command.Attribute("Runner"));
    }

    [SkippableFact]
    public void Other_commands_go_to_the_managed_rfcnperf()
    {
        Skip.If(!Extract(), ToolPackage.Missing);

        var (code, output, error) = Run(["--help"]);

        Assert.True(code == 0, error);
        Assert.Contains("rfcnperf: CPU object-detection benchmarking", output, StringComparison.Ordinal);
        Assert.Contains("detect", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Eval_score_gives_the_same_lines_natively_and_through_the_managed_rfcnperf()
    {
        Skip.If(!Extract(), ToolPackage.Missing);
        string gt = data.Write("gt.json", """
            {"images": [{"id": 1, "width": 100, "height": 100}],
             "categories": [{"id": 1, "name": "thing"}],
             "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "area": 1600, "iscrowd": 0}]}
            """);
        string dt = data.Write("dt.json", """[{"image_id": 1, "category_id": 1, "bbox": [12, 11, 40, 38], "score": 0.9}]""");
        string[] args = ["eval", "score", "--annotations", gt, "--results", dt];
        Assert.True(ScoreRoute.RunsNative(args));

        var native = Run(args);
        var managed = Run(args, new Dictionary<string, string> { [ScoreRoute.DisableVariable] = "0" });

        Assert.True(native.Code == 0, native.Err);
        Assert.True(managed.Code == 0, managed.Err);
        Assert.Equal(12, native.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(native.Out, managed.Out);
    }

    private (int Code, string Out, string Err) Run(string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.Run(Path.Combine(dir.Path, ToolPackage.NativeEvalFile), args, environment, timeout: TimeSpan.FromMinutes(2));

    /// <summary>Everything but the COCO sample and the native libraries of other platforms.</summary>
    private bool Extract() => ToolPackage.ExtractTools(dir.Path, relative =>
    {
        string[] parts = relative.Split('/');
        return parts[0] switch
        {
            "samples" => false,
            "runtimes" => parts.Length > 1 && (parts[1] == RuntimeInformation.RuntimeIdentifier || parts[1] == "unix" || (OperatingSystem.IsLinux() && parts[1] == "linux")),
            _ => true,
        };
    });
}
