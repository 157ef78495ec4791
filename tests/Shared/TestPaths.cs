namespace RfcnPerf.Testing;

/// <summary>
/// Locates the repository root (the folder holding RfcnPerf.sln) and the test data. A clean clone needs nothing
/// else: the golden pycocotools cases come from <c>tests/data/coco-eval-cases.tar.gz</c> (unpacked once into the
/// temp folder) and the COCO images from the bundled sample <c>samples/coco-val2017</c>. The environment variables
/// <c>.ci/run</c> sets in its second pass (RFCNPERF_COCO_EVAL_CASES, RFCNPERF_COCO, RFCNPERF_ASSET_MIRROR) point at
/// the fuller reference data; tests that need it (the NanoDet files, the 212-image subset) skip, naming what to
/// provide, when it is not configured. Nothing is read from the reference mirror unless a variable names it.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static readonly Lazy<string> BundledCases = new(() => GoldenCasesArchive.Extract(CocoEvalCasesArchive));
    private static readonly Lazy<string> BundledSegmKpCases = new(() => GoldenCasesArchive.Extract(CocoEvalCasesSegmKpArchive, "coco-eval-cases-segm-kp"));

    public static string RepoRoot => Root.Value;

    /// <summary>Golden pycocotools cases: RFCNPERF_COCO_EVAL_CASES, else the repository's archive.</summary>
    public static string CocoEvalCases => FromEnv("RFCNPERF_COCO_EVAL_CASES") ?? BundledCases.Value;

    /// <summary>The committed archive of the golden cases.</summary>
    public static string CocoEvalCasesArchive => Path.Combine(RepoRoot, "tests", "data", "coco-eval-cases.tar.gz");

    /// <summary>Golden pycocotools segm and keypoints cases: RFCNPERF_COCO_EVAL_CASES_SEGM_KP, else the repository's archive.</summary>
    public static string CocoEvalCasesSegmKp => FromEnv("RFCNPERF_COCO_EVAL_CASES_SEGM_KP") ?? BundledSegmKpCases.Value;

    /// <summary>The committed archive of the segm and keypoints cases.</summary>
    public static string CocoEvalCasesSegmKpArchive => Path.Combine(RepoRoot, "tests", "data", "coco-eval-cases-segm-kp.tar.gz");

    /// <summary>The reference folder (RFCNPERF_SHARED), or null when not configured.</summary>
    public static string? Shared => FromEnv("RFCNPERF_SHARED");

    /// <summary>What to provide for the tests on the large segm and keypoints cases, which are not in the repository.</summary>
    public const string NeedsSharedSegmKp =
        "needs the large segm/keypoints golden cases (21 MB, not in the repository): set RFCNPERF_SHARED to the reference folder holding coco-eval-cases-segm-kp/";

    /// <summary>Skips the calling test unless RFCNPERF_SHARED names the reference folder.</summary>
    public static string RequireShared()
    {
        Skip.If(Shared is null, NeedsSharedSegmKp);
        return Shared!;
    }

    /// <summary>COCO data folder in the standard layout: RFCNPERF_COCO, else the bundled sample.</summary>
    public static string CocoDir => FromEnv("RFCNPERF_COCO") ?? BundledSample;

    /// <summary>The repository's COCO val2017 sample (48 evaluation images, 20 calibration images).</summary>
    public static string BundledSample => Path.Combine(RepoRoot, "samples", "coco-val2017");

    /// <summary>True when <see cref="CocoDir"/> is the bundled sample (not the reference 212-image subset).</summary>
    public static bool CocoIsBundledSample => FromEnv("RFCNPERF_COCO") is null;

    /// <summary>Offline model mirror (RFCNPERF_ASSET_MIRROR), or null when not configured.</summary>
    public static string? ModelMirror => FromEnv("RFCNPERF_ASSET_MIRROR");

    public static string CocoAnnotations => Path.Combine(CocoDir, "annotations", "instances_val2017.json");

    public static string CocoImages => Path.Combine(CocoDir, "val2017");

    /// <summary>What to provide for the tests that need the NanoDet files.</summary>
    public const string NeedsNanodet =
        "needs the NanoDet-m-416 FP32/INT8 files: set RFCNPERF_ASSET_MIRROR to a folder holding them (e.g. from `rfcnperf assets pull nanodet-m-416 nanodet-m-416-int8`)";

    /// <summary>What to provide for the tests written against the 212-image reference subset.</summary>
    public const string NeedsCocoSubset =
        "needs the 212-image val2017 reference subset: set RFCNPERF_COCO to it (this test's expected values are specific to those images)";

    /// <summary>Skips the calling [SkippableFact]/[SkippableTheory] unless the NanoDet files are configured.</summary>
    public static void RequireNanodet() => Skip.If(ModelMirror is null, NeedsNanodet);

    /// <summary>Skips the calling test unless RFCNPERF_COCO names the reference subset.</summary>
    public static void RequireCocoSubset() => Skip.If(CocoIsBundledSample, NeedsCocoSubset);

    private static string? FromEnv(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? Path.GetFullPath(v) : null;

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
