using System.CommandLine;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// Runs the real <c>rfcnperf</c> command tree in-process, as Program does (CliErrors around parse + invoke),
/// capturing stdout and stderr. Console is redirected too, because CliErrors reports user errors there.
/// </summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("rfcnperf (test)");
        foreach (var command in CommandRegistry.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = output,
                Error = error,
            }));
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
