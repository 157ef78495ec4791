namespace RfcnPerf.Coco.Cli;

/// <summary>
/// rfcnperf-eval as the rfcnperf tool's command: the tool package names it as its entry point, so a plain
/// <c>eval score</c> starts no .NET runtime at all, and every other command line goes on to the managed rfcnperf
/// (rfcnperf.dll) beside it through its apphost, which finds .NET exactly as the tool's shim used to (DOTNET_ROOT,
/// the registered install location, the default one); failing that, the <c>dotnet</c> on PATH. Without rfcnperf.dll
/// beside it (rfcnperf-eval published on its own) there is nothing to hand over to.
/// </summary>
internal static class ManagedRfcnperf
{
    private const string Assembly = "rfcnperf.dll";

    /// <summary>Hands <paramref name="args"/> to rfcnperf; null when rfcnperf.dll is not beside this executable.</summary>
    /// <returns>The exit code (Windows, or when neither the apphost nor a dotnet host could be started); on Unix a
    /// successful hand-over does not return.</returns>
    public static int? TryRun(string[] args)
    {
        string? dir = Path.GetDirectoryName(Environment.ProcessPath);
        string? dll = dir is null ? null : Path.Combine(dir, Assembly);
        if (dll is null || !File.Exists(dll))
        {
            return null;
        }

        string appHost = Path.Combine(dir!, OperatingSystem.IsWindows() ? "rfcnperf.exe" : "rfcnperf");
        int? code = ProcessHandover.Run(appHost, args);
        if (code is null && FindOnPath(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet") is { } dotnet)
        {
            code = ProcessHandover.Run(dotnet, args, dll);
        }

        if (code is null)
        {
            Console.Error.WriteLine($"error: cannot start {dll}: {appHost} could not be run and there is no 'dotnet' on PATH (install the .NET 10 runtime, or reinstall the tool)");
            return 2;
        }

        return code;
    }

    private static string? FindOnPath(string file)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
