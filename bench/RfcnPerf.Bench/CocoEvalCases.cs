using RfcnPerf.Testing;

namespace RfcnPerf.Bench;

/// <summary>
/// Finds the golden COCO evaluation cases: <c>RFCNPERF_COCO_EVAL_CASES</c>, else the repository's
/// <c>tests/data/coco-eval-cases.tar.gz</c> (unpacked once into the temp folder), found by walking up to
/// RfcnPerf.sln from the running benchmark (BenchmarkDotNet builds under bin/ of this project) or the current directory.
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
                var archive = Path.Combine(dir.FullName, "tests", "data", "coco-eval-cases.tar.gz");
                if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")) && File.Exists(archive))
                {
                    return GoldenCasesArchive.Extract(archive);
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No RfcnPerf.sln with tests/data/coco-eval-cases.tar.gz above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; set RFCNPERF_COCO_EVAL_CASES to the coco-eval-cases folder.");
    }
}
