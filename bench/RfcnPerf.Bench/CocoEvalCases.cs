namespace RfcnPerf.Bench;

/// <summary>
/// Finds the golden COCO evaluation cases: <c>RFCNPERF_COCO_EVAL_CASES</c>, else <c>../shared/coco-eval-cases</c>
/// beside the repository root (the folder holding RfcnPerf.sln, found by walking up from the running
/// benchmark, which BenchmarkDotNet builds under bin/ of this project, or from the current directory).
/// </summary>
internal static class CocoEvalCases
{
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("RFCNPERF_COCO_EVAL_CASES") is { Length: > 0 } fromEnv)
        {
            return Path.GetFullPath(fromEnv);
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")))
                {
                    string shared = Environment.GetEnvironmentVariable("RFCNPERF_SHARED") is { Length: > 0 } s
                        ? s
                        : Path.Combine(dir.FullName, "..", "shared");
                    return Path.GetFullPath(Path.Combine(shared, "coco-eval-cases"));
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No RfcnPerf.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; set RFCNPERF_COCO_EVAL_CASES to the coco-eval-cases folder.");
    }
}
