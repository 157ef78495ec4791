using System.CommandLine;
using System.CommandLine.Help;
using RfcnPerf.Coco;
using RfcnPerf.Coco.Cli;

// rfcnperf-eval: `rfcnperf eval score` as a native executable, and the rfcnperf tool's entry point: any other command
// line goes to the managed rfcnperf beside it, before anything else is set up. The tree is rfcnperf > eval > score, so
// its help and parse errors read exactly as rfcnperf's.
if (!ScoreRoute.RunsNative(args) && ManagedRfcnperf.TryRun(args) is int handedOver)
{
    return handedOver;
}

var score = EvalScoreCommand.Create(StandaloneResults.Check);
var eval = new Command("eval", "COCO accuracy: score results files") { score };
var root = new Command("rfcnperf", "rfcnperf eval score, compiled ahead of time") { eval };
root.Options.Add(new HelpOption());

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is CocoException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
{
    // As rfcnperf's CliErrors: a user mistake is one line and exit code 2, never a stack trace.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
