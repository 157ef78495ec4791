namespace RfcnPerf.Coco.Cli;

/// <summary>
/// Which process scores an <c>rfcnperf eval score</c>: the native rfcnperf-eval (ahead-of-time compiled, no runtime
/// start-up) or the managed rfcnperf. One rule for both directions, so the two never hand a command back and forth:
/// rfcnperf-eval, the tool's entry point, keeps what this accepts and hands everything else to rfcnperf; rfcnperf,
/// started some other way (`dotnet run`, a publish folder), hands what this accepts to rfcnperf-eval when it sits
/// beside it. Both paths give the same output, bit for bit.
/// </summary>
public static class ScoreRoute
{
    /// <summary>Set to 0 to score in the managed rfcnperf (the native file is then never used).</summary>
    public const string DisableVariable = "RFCNPERF_NATIVE_EVAL";

    /// <summary>
    /// True for <c>eval score</c> whose every --results file exists with no run.json beside it (eval run shard merges
    /// need rfcnperf's reading of run.json; a missing file gets rfcnperf's message naming the shard that writes it),
    /// with no @response file, and with RFCNPERF_NATIVE_EVAL not 0.
    /// </summary>
    /// <param name="args">The command line as given to rfcnperf (without the program name).</param>
    public static bool RunsNative(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count < 2 || args[0] != "eval" || args[1] != "score" || Environment.GetEnvironmentVariable(DisableVariable) == "0")
        {
            return false;
        }

        for (int i = 2; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.StartsWith('@'))
            {
                return false;
            }

            string? path = arg == "--results" && i + 1 < args.Count ? args[++i]
                : arg.StartsWith("--results=", StringComparison.Ordinal) || arg.StartsWith("--results:", StringComparison.Ordinal) ? arg["--results=".Length..]
                : null;
            if (path is not null && (!File.Exists(path) || File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "run.json"))))
            {
                return false;
            }
        }

        return true;
    }
}
