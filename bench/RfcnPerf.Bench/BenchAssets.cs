using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Data;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Quantization;

namespace RfcnPerf.Bench;

/// <summary>
/// Where benchmarks find models and images: the same asset store (cache, offline mirror, npm) and COCO folder
/// the CLI uses. The one place that knows how a model becomes runnable at a batch size.
/// </summary>
internal static class BenchAssets
{
    private static readonly Lazy<AssetStore> Store = new(() =>
    {
        // Catalog INT8 models are quantized on demand, as the CLI does.
        QuantizedModelBuilder.Register();
        return AssetStore.FromEnvironment();
    });

    /// <summary>The asset store in use (cache and mirror from the environment).</summary>
    public static AssetStore AssetStore => Store.Value;

    /// <summary>A verified local path for a catalog model (fetched once into the cache if needed).</summary>
    public static string Model(string name) =>
        Store.Value.Resolve(ModelCatalog.Find(name) ?? throw new RfcnPerfException($"unknown catalog model {name}; known: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}"));

    /// <summary>The .onnx file of a variant: a catalog model (resolved through the cache) or a user's file.</summary>
    public static string Model(ModelVariant variant)
    {
        if (ModelCatalog.Find(variant.Source) is not null)
        {
            return Model(variant.Source);
        }

        return File.Exists(variant.Source)
            ? Path.GetFullPath(variant.Source)
            : throw new RfcnPerfException($"model file not found: {Path.GetFullPath(variant.Source)} (variant {variant})");
    }

    /// <summary>
    /// The model file to open for <paramref name="batch"/> images per request. The batch rewrite itself happens in
    /// the core: <c>DetectorSession.Open</c> swaps a fixed-batch model for its batchified copy (ONNX tooling,
    /// cached by sha256) when the batch is above 1, so the bench and the CLI run the same file. This is the one
    /// place the bench decides which file a case runs.
    /// </summary>
    public static string ModelForBatch(ModelVariant variant, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return Model(variant);
    }

    private static readonly Lazy<CocoFolder> Coco = new(() => CocoFolder.Resolve(null));

    /// <summary>The COCO folder the CLI would use (RFCNPERF_COCO, ./data/coco, the pulled val2017, else the bundled sample).</summary>
    public static string CocoDir => Coco.Value.Root;

    /// <summary>The one line saying the bundled sample is in use, or null.</summary>
    public static string? CocoNotice => Coco.Value.Notice;

    /// <summary>The COCO images folder (<c>val2017/</c> under <see cref="CocoDir"/>).</summary>
    public static string ImagesDir => Path.Combine(CocoDir, "val2017");

    /// <summary>True when the COCO images folder exists and holds at least one JPEG.</summary>
    public static bool HasImages => Directory.Exists(ImagesDir) && Directory.EnumerateFiles(ImagesDir, "*.jpg").Any();

    /// <summary>The first <paramref name="count"/> JPEGs of the COCO images folder, sorted by name.</summary>
    public static string[] Images(int count)
    {
        if (!HasImages)
        {
            throw new RfcnPerfException($"COCO images not found: no JPEG in {Path.GetFullPath(ImagesDir)}; set RFCNPERF_COCO to a folder holding val2017/");
        }

        return Directory.EnumerateFiles(ImagesDir, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();
    }

    /// <summary>The COCO annotation file (<c>annotations/instances_val2017.json</c> under <see cref="CocoDir"/>).</summary>
    public static string AnnotationsPath => Path.Combine(CocoDir, "annotations", "instances_val2017.json");

    /// <summary>Class index to category map: the annotation file's categories when present, else the standard 80.</summary>
    public static CategoryMap Categories() => File.Exists(AnnotationsPath)
        ? CategoryMap.FromCategories(AnnotationIndex.Load(AnnotationsPath).Categories)
        : CategoryMap.Coco80;
}
