using System.CommandLine;
using RfcnPerf.Cli;

// `eval score` goes to the native rfcnperf-eval when it is installed beside this assembly (before the command tree is built).
return NativeEvalScore.TryRun(args) ?? RunCommandTree(args);

static int RunCommandTree(string[] args)
{
    var root = new RootCommand("rfcnperf: CPU object-detection benchmarking and COCO accuracy on ONNX Runtime.");
    foreach (var command in CommandRegistry.All())
    {
        root.Subcommands.Add(command);
    }

    return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,

        // `serve` on SIGTERM/Ctrl+C answers its queue 503 at once, then waits for the model runs in progress and for
        // request bodies still arriving (up to its 30 s drain timeout) before exiting 0.
        ProcessTerminationTimeout = TimeSpan.FromSeconds(35),
    }));
}
