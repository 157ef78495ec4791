using System.CommandLine;
using RfcnPerf.Cli;

var root = new RootCommand("rfcnperf: CPU object-detection benchmarking and COCO accuracy on ONNX Runtime.");
foreach (var command in CommandRegistry.All())
{
    root.Subcommands.Add(command);
}

return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration
{
    EnableDefaultExceptionHandler = false,

    // `serve` drains requests in flight on SIGTERM/Ctrl+C (up to its 30 s drain timeout) before exiting 0.
    ProcessTerminationTimeout = TimeSpan.FromSeconds(35),
}));
