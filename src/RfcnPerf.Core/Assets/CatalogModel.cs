using RfcnPerf.Core.Models;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Assets;

/// <summary>A model RfcnPerf knows by name: what it is, its exact bytes, and where to get it.</summary>
/// <param name="Name">Catalog name, e.g. <c>yolov8n</c>.</param>
/// <param name="Family">Pre/post-processing family.</param>
/// <param name="Precision">Precision of the file (checked against the graph by the catalog tests).</param>
/// <param name="FileName">File name in the cache and in the offline mirror.</param>
/// <param name="Sha256">Expected sha256 (lower-case hex).</param>
/// <param name="SizeBytes">Expected size, checked before hashing so a truncated file is caught cheaply.</param>
/// <param name="Source">Network source, if any.</param>
/// <param name="PublishedApPercent">Published COCO val2017 AP@[.5:.95] in percent.</param>
/// <param name="PublishedGflops">Published GFLOPs per image (2 x multiply-adds).</param>
/// <param name="Int8Counterpart">Catalog name of the same model quantized to INT8, if one exists.</param>
/// <param name="Note">A fact about this file that reports print next to its published numbers, or null.</param>
/// <param name="Fp32Model">For an INT8 model: the catalog FP32 model it was quantized from.</param>
/// <param name="DerivedFrom">For a model RfcnPerf builds itself: the catalog model it is built from (no fixed sha256; cached under a key of its inputs); <see cref="Derivation"/> says how.</param>
public sealed record CatalogModel(
    string Name,
    ModelFamily Family,
    ModelPrecision Precision,
    string FileName,
    string Sha256,
    long SizeBytes,
    ModelSource Source,
    double PublishedApPercent,
    double PublishedGflops,
    string? Int8Counterpart = null,
    string? Note = null,
    string? Fp32Model = null,
    string? DerivedFrom = null)
{
    /// <summary>Earlier names that still find this model.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>How a derived model is built from <see cref="DerivedFrom"/> (ignored for fetched models).</summary>
    public ModelDerivation Derivation { get; init; } = ModelDerivation.Quantize;

    /// <summary>For a published graph whose decoding tail the catalog cuts: the catalog name of the cut copy.</summary>
    public string? CutCounterpart { get; init; }

    /// <summary>True for a model built on demand (quantized or cut by RfcnPerf) rather than fetched.</summary>
    public bool IsDerived => DerivedFrom is not null;

    /// <summary>Human-readable source for listings.</summary>
    public string SourceDescription => DerivedFrom is { } from
        ? Derivation == ModelDerivation.CutDecodingTail
            ? $"built: {from} with its decoding tail cut out of the graph (decoded in post-processing)"
            : $"built: {from} quantized by `rfcnperf model quantize` (default options, default calibration set)"
        : Source.NpmPackage is { } pkg
            ? $"npm {pkg} ({Source.PathInPackage})"
            : Source.Urls.Count > 0
                ? $"{Source.Urls[0]} (or the offline mirror, RFCNPERF_ASSET_MIRROR)"
            : "offline mirror (RFCNPERF_ASSET_MIRROR)";
}

/// <summary>How RfcnPerf builds a derived catalog model from its source.</summary>
public enum ModelDerivation
{
    /// <summary>Quantized to QDQ INT8 with the default options on the default calibration set.</summary>
    Quantize,

    /// <summary>The family's decoding tail cut out of the graph (the raw head becomes the output; decoded in post-processing).</summary>
    CutDecodingTail,
}
