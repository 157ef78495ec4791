using System.CommandLine;
using RfcnPerf.Cli.Commands;
using RfcnPerf.Quantization;
using RfcnPerf.Coco.Cli;

namespace RfcnPerf.Cli;

/// <summary>
/// The top-level commands. Each leaf command lives in its own file under Commands/ as a static
/// <c>Create()</c> factory; groups (<c>eval</c>, <c>model</c>, <c>assets</c>, <c>bench</c>) are assembled here.
/// </summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        // Catalog INT8 models are quantized on demand when a command asks the asset store for one.
        QuantizedModelBuilder.Register();
        yield return ModelsCommand.Create();
        yield return Group("assets", "Fetch and verify model files", AssetsPullCommand.Create());
        yield return DetectCommand.Create();
        yield return MachineCommand.Create();
        yield return ProfileCommand.Create();
        yield return Group("model", "Inspect and rewrite ONNX models", ModelInfoCommand.Create(), ModelBatchifyCommand.Create(), ModelQuantizeCommand.Create(), ModelSpeedCommand.Create());
        yield return ServeCommand.Create();
        yield return LoadCommand.Create();
        yield return Group("eval", "COCO accuracy: score results files, run models, analyse errors, compare runs", EvalScoreCommand.Create(EvalScoreShards.Check), EvalRunCommand.Create(), EvalAnalyzeCommand.Create(), EvalCompareCommand.Create());
        yield return Group("bench", "Benchmark runs (run-bench.sh writes them): compare machines", BenchCompareCommand.Create());
    }

    private static Command Group(string name, string description, params Command[] children)
    {
        var group = new Command(name, description);
        foreach (var child in children)
        {
            group.Subcommands.Add(child);
        }

        return group;
    }
}
