using System.Security.Cryptography;
using System.Text;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Models;
using RfcnPerf.Onnx.Quantization;

namespace RfcnPerf.Core.Quantization;

/// <summary>
/// Builds the catalog's derived models (<see cref="CatalogModel.DerivedFrom"/>) on demand. A cut graph
/// (<see cref="ModelDerivation.CutDecodingTail"/>) is cached as <c>models/derived/&lt;name&gt;-&lt;key&gt;.onnx</c> with
/// the key hashing the source's sha256 and the cut's version. An INT8 model is the source
/// model quantized with the default options on the default calibration set (the COCO folder's images that its
/// annotation file does not list), cached as <c>models/derived/&lt;name&gt;-&lt;key&gt;.onnx</c> where the key
/// hashes the source's sha256, the calibration set's hash, the options and the quantizer version, so a change
/// of any of them builds a new file and an unchanged one is reused.
/// </summary>
public static class DerivedModels
{
    /// <summary>The COCO folder: <c>RFCNPERF_COCO</c>, else <c>./data/coco</c>.</summary>
    public static string CocoRoot() => Data.CocoFolder.Resolve(null).Root;

    /// <summary>The options every derived model is built with.</summary>
    public static QuantizeOptions DefaultOptions { get; } = new() { KeepStemFp32 = true };

    /// <summary>The default calibration set of <see cref="CocoRoot"/>; throws naming the missing folder.</summary>
    public static CalibrationSet DefaultCalibration()
    {
        var root = CocoRoot();
        var images = Path.Combine(root, "val2017");
        var annotations = Path.Combine(root, "annotations", "instances_val2017.json");
        if (!Directory.Exists(images) || !File.Exists(annotations))
        {
            throw new RfcnPerfException(
                $"building a derived INT8 model needs calibration images: the COCO folder {root} (val2017/ and annotations/instances_val2017.json) was not found; set RFCNPERF_COCO or pass --coco");
        }

        return CalibrationSet.NotAnnotated(images, annotations);
    }

    /// <summary>Where the derived INT8 model with these inputs is (or will be) cached.</summary>
    public static string CachePath(AssetStore store, CatalogModel model, string sourceSha256, string calibrationHash) =>
        KeyedPath(store, model, $"{sourceSha256}\n{calibrationHash}\n{DefaultOptions.Describe()}\nquantizer v{QdqQuantizer.Version}");

    /// <summary>Where the cut graph of a source with <paramref name="sourceSha256"/> is (or will be) cached.</summary>
    public static string CutCachePath(AssetStore store, CatalogModel model, string sourceSha256) =>
        KeyedPath(store, model, $"{sourceSha256}\ncut decoding tail {model.Family.ToName()} v{DecodingTail.CutVersion(model.Family)}");

    /// <summary>The cached build, or null when it was not built yet (or its inputs are not available).</summary>
    public static string? FindLocal(AssetStore store, CatalogModel model)
    {
        var source = ModelCatalog.Find(model.DerivedFrom!);
        if (source is null || store.FindLocal(source) is not { } sourcePath)
        {
            return null;
        }

        try
        {
            var path = model.Derivation == ModelDerivation.CutDecodingTail
                ? CutCachePath(store, model, SourceSha256(source, sourcePath))
                : CachePath(store, model, SourceSha256(source, sourcePath), DefaultCalibration().Hash());
            return File.Exists(path) ? path : null;
        }
        catch (RfcnPerfException)
        {
            return null;
        }
    }

    /// <summary>Returns the cached build, building it first (source fetched or built if needed) when missing.</summary>
    public static string Resolve(AssetStore store, CatalogModel model, Action<string>? log)
    {
        var source = ModelCatalog.Find(model.DerivedFrom!) ?? throw new RfcnPerfException($"{model.Name}: its source model {model.DerivedFrom} is not in the catalog");
        var sourcePath = store.Resolve(source, log);
        if (model.Derivation == ModelDerivation.CutDecodingTail)
        {
            var cut = CutCachePath(store, model, SourceSha256(source, sourcePath));
            if (!File.Exists(cut))
            {
                var layout = DecodingTail.Cut(model.Family, sourcePath, cut);
                log?.Invoke($"built {model.Name}: {source.Name} cut at its raw head {layout.Output} [N,{layout.Channels},{layout.Anchors}] (decoded in post-processing); {cut}");
            }

            return cut;
        }

        var calibration = DefaultCalibration();
        var path = CachePath(store, model, SourceSha256(source, sourcePath), calibration.Hash());
        if (File.Exists(path))
        {
            return path;
        }

        log?.Invoke($"building {model.Name}: quantizing {source.Name} with the default options on {calibration.Description} ...");
        var result = ModelQuantizer.Quantize(new QuantizeRequest(sourcePath, path, calibration, DefaultOptions));
        log?.Invoke($"built {model.Name} in {result.TotalTime.TotalSeconds:F0} s ({result.Options.Describe()}): {result.Fusion.Int8Convs} of {result.Fusion.QdqConvs} Conv fused into int8 kernels; {path}");
        return path;
    }

    /// <summary>
    /// The sha256 of <paramref name="sourcePath"/>: a published catalog file was just verified against its catalog
    /// sha256 by the store (cache, mirror or fetch), so that is its hash without reading it again; a derived source
    /// (the cut graph an INT8 build starts from) has no fixed hash and is hashed.
    /// </summary>
    private static string SourceSha256(CatalogModel source, string sourcePath) =>
        source.IsDerived ? FileHash.Sha256(sourcePath) : source.Sha256.ToLowerInvariant();

    private static string KeyedPath(AssetStore store, CatalogModel model, string inputs)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs)))[..16];
        return Path.Combine(store.ModelsDir, "derived", $"{model.Name}-{key}.onnx");
    }
}
