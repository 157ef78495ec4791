using System.CommandLine;
using System.Diagnostics;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// Runs the real <c>rfcnperf</c> command tree in-process, as Program does (CliErrors around parse + invoke),
/// capturing stdout and stderr. Console is redirected too, because CliErrors reports user errors there.
/// </summary>
internal static class CliRunner
{
    /// <summary>
    /// Starts <c>rfcnperf</c> as a real process (stdout/stderr redirected) from the test's build output, with
    /// <paramref name="environment"/> applied on top of ours (a null value removes the variable).
    /// </summary>
    public static Process Start(string[] args, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rfcnperf.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info)!;
    }

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
