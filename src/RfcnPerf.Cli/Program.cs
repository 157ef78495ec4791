using System.CommandLine;
using RfcnPerf.Cli;

var root = new RootCommand("rfcnperf: CPU object-detection benchmarking and COCO accuracy on ONNX Runtime.");
foreach (var command in CommandRegistry.All())
{
    root.Subcommands.Add(command);
}

return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
