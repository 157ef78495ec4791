using RfcnPerf.Coco.Cli;

namespace RfcnPerf.Cli;

/// <summary>
/// Hands <c>rfcnperf eval score</c> to rfcnperf-eval, the same command compiled ahead of time, when rfcnperf was started
/// some other way than through the tool's entry point (which is rfcnperf-eval itself) and rfcnperf-eval sits beside
/// rfcnperf.dll (`dotnet publish` puts it there): a val2017-sized score then takes about the time this process needed
/// to start, instead of also paying to start the command tree and compile the evaluator. Runs before anything else, so
/// that start-up is all it costs. Which command lines go native is <see cref="ScoreRoute"/>'s one rule.
/// </summary>
internal static class NativeEvalScore
{
    /// <summary>Runs the native command and returns its exit code, or null to run in-process.</summary>
    public static int? TryRun(string[] args)
    {
        if (!ScoreRoute.RunsNative(args))
        {
            return null;
        }

        string native = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "rfcnperf-eval.exe" : "rfcnperf-eval");
        return ProcessHandover.Run(native, args);
    }
}
