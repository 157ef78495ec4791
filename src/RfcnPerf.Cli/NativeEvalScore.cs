using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RfcnPerf.Cli;

/// <summary>
/// Hands <c>rfcnperf eval score</c> to rfcnperf-eval, the same command compiled ahead of time, when it sits beside
/// rfcnperf.dll (the tool package and `dotnet publish` put it there): a val2017-sized score then takes about the time
/// this process needed to start, instead of also paying to start the command tree and compile the evaluator. Runs
/// before anything else, so that start-up is all it costs. Shard merges (a run.json beside a results file), a results
/// file that does not exist (rfcnperf's message names the shard that writes it), response files and
/// RFCNPERF_NATIVE_EVAL=0 stay in-process; both paths give the same output, bit for bit.
/// </summary>
internal static class NativeEvalScore
{
    private const string DisableVariable = "RFCNPERF_NATIVE_EVAL";

    /// <summary>Runs the native command and returns its exit code, or null to run in-process.</summary>
    public static int? TryRun(string[] args)
    {
        if (args.Length < 2 || args[0] != "eval" || args[1] != "score" || Environment.GetEnvironmentVariable(DisableVariable) == "0")
        {
            return null;
        }

        string native = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "rfcnperf-eval.exe" : "rfcnperf-eval");
        if (!File.Exists(native) || !ResultsAreStandalone(args))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            if (!IsExecutable(native))
            {
                return null;
            }

            // The process becomes rfcnperf-eval (same pid, stdio, signals and exit code); execv returns only on failure.
            string?[] argv = [native, .. args, null];
            Execv(native, argv);
            return null;
        }

        using var process = Process.Start(new ProcessStartInfo(native, args) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Every --results file exists and has no run.json beside it (no eval run shard), and no @response file is used.</summary>
    internal static bool ResultsAreStandalone(string[] args)
    {
        for (int i = 2; i < args.Length; i++)
        {
            string? path = args[i] == "--results" && i + 1 < args.Length ? args[++i]
                : args[i].StartsWith("--results=", StringComparison.Ordinal) || args[i].StartsWith("--results:", StringComparison.Ordinal) ? args[i]["--results=".Length..]
                : null;
            if (args[i].StartsWith('@'))
            {
                return false;
            }

            if (path is not null && (!File.Exists(path) || File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "run.json"))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>NuGet does not keep file modes: a tool package's native file arrives without its execute bits.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsExecutable(string path)
    {
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }

            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static extern int Execv(string path, string?[] argv);
}
