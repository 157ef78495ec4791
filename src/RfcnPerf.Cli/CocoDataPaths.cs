namespace RfcnPerf.Cli;

/// <summary>
/// The COCO data folder (standard layout: <c>val2017/</c>, <c>annotations/instances_val2017.json</c>):
/// <c>--coco DIR</c>, else <c>RFCNPERF_COCO</c>, else <c>./data/coco</c>.
/// </summary>
internal static class CocoDataPaths
{
    public static string Root(string? explicitDir) =>
        explicitDir is null ? RfcnPerf.Core.Quantization.DerivedModels.CocoRoot() : Path.GetFullPath(explicitDir);

    public static string Images(string root) => Path.Combine(root, "val2017");

    public static string Annotations(string root) => Path.Combine(root, "annotations", "instances_val2017.json");

    /// <summary>Fails with the exact paths tried and how to provide the data.</summary>
    public static void Require(string path, string what)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new RfcnPerf.Core.RfcnPerfException(
                $"{what} not found at {path}; pass --coco DIR (standard layout: val2017/ and annotations/instances_val2017.json) or set RFCNPERF_COCO");
        }
    }
}
