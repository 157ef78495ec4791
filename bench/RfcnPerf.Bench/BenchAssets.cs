using RfcnPerf.Core.Assets;

namespace RfcnPerf.Bench;

/// <summary>Where benchmarks find models and images: the same asset store and COCO folder the CLI uses.</summary>
internal static class BenchAssets
{
    private static readonly Lazy<AssetStore> Store = new(AssetStore.FromEnvironment);

    /// <summary>A verified local path for a catalog model (fetched once into the cache if needed).</summary>
    public static string Model(string name) =>
        Store.Value.Resolve(ModelCatalog.Find(name) ?? throw new ArgumentException($"unknown catalog model {name}", nameof(name)));

    /// <summary>The COCO folder: RFCNPERF_COCO, else ./data/coco.</summary>
    public static string CocoDir =>
        Environment.GetEnvironmentVariable("RFCNPERF_COCO") is { Length: > 0 } dir ? dir : Path.Combine("data", "coco");

    /// <summary>The first <paramref name="count"/> JPEGs of the COCO images folder, sorted by name.</summary>
    public static string[] Images(int count)
    {
        var folder = Path.Combine(CocoDir, "val2017");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"COCO images not found at {Path.GetFullPath(folder)}; set RFCNPERF_COCO");
        }

        return Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();
    }
}
