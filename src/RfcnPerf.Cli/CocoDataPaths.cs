using RfcnPerf.Core.Data;

namespace RfcnPerf.Cli;

/// <summary>
/// The COCO data folder of a command (<see cref="CocoFolder.Resolve"/>: <c>--coco DIR</c>, <c>RFCNPERF_COCO</c>,
/// <c>./data/coco</c>, the pulled val2017 in the cache, else the bundled sample, announced in one line).
/// </summary>
internal static class CocoDataPaths
{
    public static CocoFolder Resolve(string? explicitDir)
    {
        var folder = CocoFolder.Resolve(explicitDir);
        if (folder.Notice is { } notice)
        {
            Console.Error.WriteLine(notice);
        }

        return folder;
    }

    /// <summary>Fails with the exact paths tried and how to provide the data.</summary>
    public static void Require(string path, string what)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new RfcnPerf.Core.RfcnPerfException(
                $"{what} not found at {path}; pass --coco DIR (standard layout: val2017/ and annotations/instances_val2017.json), set RFCNPERF_COCO, or run rfcnperf assets pull coco-val2017");
        }
    }
}
