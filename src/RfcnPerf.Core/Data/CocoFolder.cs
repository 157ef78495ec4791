using RfcnPerf.Core.Assets;

namespace RfcnPerf.Core.Data;

/// <summary>Where a COCO folder came from, in the order <see cref="CocoFolder.Resolve"/> tries them.</summary>
public enum CocoFolderSource
{
    /// <summary><c>--coco DIR</c>.</summary>
    Option,

    /// <summary><c>RFCNPERF_COCO</c>.</summary>
    Environment,

    /// <summary><c>./data/coco</c> in the working directory.</summary>
    WorkingDirectory,

    /// <summary>The full val2017 that <c>rfcnperf assets pull coco-val2017</c> put into the cache.</summary>
    Cache,

    /// <summary>The small sample that ships with RfcnPerf.</summary>
    BundledSample,
}

/// <summary>
/// A COCO folder in the standard layout (<c>val2017/</c>, <c>annotations/instances_val2017.json</c>) and where it
/// came from. <c>--coco DIR</c>, else <c>RFCNPERF_COCO</c>, else <c>./data/coco</c> when it exists, else the full
/// val2017 pulled into the cache, else the bundled sample: so a fresh clone (or an installed tool) runs with no
/// configuration at all, and says so.
/// </summary>
/// <param name="Root">Absolute path of the folder.</param>
/// <param name="Source">Where it came from.</param>
public sealed record CocoFolder(string Root, CocoFolderSource Source)
{
    /// <summary>Folder name of the sample beside the binaries (and under <c>samples/</c> of the repository).</summary>
    public const string SampleFolderName = "coco-val2017";

    /// <summary>The images folder.</summary>
    public string Images => Path.Combine(Root, "val2017");

    /// <summary>The annotation file.</summary>
    public string Annotations => Path.Combine(Root, "annotations", "instances_val2017.json");

    /// <summary>The one line a command prints when it falls back to the bundled sample (null otherwise).</summary>
    public string? Notice => Source == CocoFolderSource.BundledSample
        ? $"using the bundled {SampleImageCount(Root)}-image sample; --coco DIR for val2017 (rfcnperf assets pull coco-val2017 fetches it)"
        : null;

    /// <summary>Resolves the folder to use; <paramref name="explicitDir"/> is <c>--coco</c> (may be null).</summary>
    public static CocoFolder Resolve(string? explicitDir, string? cacheDir = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return new CocoFolder(Path.GetFullPath(explicitDir), CocoFolderSource.Option);
        }

        if (System.Environment.GetEnvironmentVariable("RFCNPERF_COCO") is { Length: > 0 } env)
        {
            return new CocoFolder(Path.GetFullPath(env), CocoFolderSource.Environment);
        }

        var local = Path.GetFullPath(Path.Combine("data", "coco"));
        if (Directory.Exists(local))
        {
            return new CocoFolder(local, CocoFolderSource.WorkingDirectory);
        }

        var pulled = CocoDownload.CompletedFolder(cacheDir ?? AssetStore.DefaultCacheDir());
        if (pulled is not null)
        {
            return new CocoFolder(pulled, CocoFolderSource.Cache);
        }

        return BundledSampleDir() is { } sample
            ? new CocoFolder(sample, CocoFolderSource.BundledSample)
            : new CocoFolder(local, CocoFolderSource.WorkingDirectory);
    }

    /// <summary>
    /// The bundled sample: beside the running binaries (every project that references the core copies it into its
    /// output, and the packed tool carries it), else under <c>samples/</c> of the repository above them; null when
    /// neither exists.
    /// </summary>
    public static string? BundledSampleDir()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "samples", SampleFolderName);
        if (IsComplete(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", SampleFolderName);
            if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")) && IsComplete(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The calibration image list of a folder (<c>calibration.txt</c>: file names under val2017/), or empty.</summary>
    public static IReadOnlyList<string> CalibrationImages(string root)
    {
        var list = Path.Combine(root, "calibration.txt");
        return File.Exists(list)
            ? File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => Path.Combine(root, "val2017", l)).ToList()
            : [];
    }

    private static bool IsComplete(string root) =>
        File.Exists(Path.Combine(root, "annotations", "instances_val2017.json")) && Directory.Exists(Path.Combine(root, "val2017"));

    private static int SampleImageCount(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "val2017"), "*.jpg").Count() - CalibrationImages(root).Count;
}
