namespace RfcnPerf.Testing;

/// <summary>
/// Locates the repository root (the folder holding RfcnPerf.sln) and the read-only reference material in
/// <c>../shared</c> beside it. Every location can be overridden by the same environment variables that
/// <c>.ci/run</c> sets, so the tests read golden data exactly where a user's configuration points.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    public static string RepoRoot => Root.Value;

    public static string SharedDir =>
        Environment.GetEnvironmentVariable("RFCNPERF_SHARED") is { Length: > 0 } s
            ? s
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>Golden pycocotools cases (override: RFCNPERF_COCO_EVAL_CASES).</summary>
    public static string CocoEvalCases => FromEnv("RFCNPERF_COCO_EVAL_CASES", Path.Combine(SharedDir, "coco-eval-cases"));

    /// <summary>COCO data folder in the standard layout (override: RFCNPERF_COCO).</summary>
    public static string CocoDir => FromEnv("RFCNPERF_COCO", Path.Combine(SharedDir, "assets", "coco"));

    /// <summary>Offline model mirror (override: RFCNPERF_ASSET_MIRROR).</summary>
    public static string ModelMirror => FromEnv("RFCNPERF_ASSET_MIRROR", Path.Combine(SharedDir, "assets", "models"));

    public static string CocoAnnotations => Path.Combine(CocoDir, "annotations", "instances_val2017.json");

    public static string CocoImages => Path.Combine(CocoDir, "val2017");

    private static string FromEnv(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? Path.GetFullPath(v) : fallback;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No RfcnPerf.sln above {AppContext.BaseDirectory}.");
    }
}
