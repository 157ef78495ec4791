namespace RfcnPerf.Reports;

/// <summary>What a report says about a model file: identity, precision, family, input size and compute.</summary>
/// <param name="Name">Catalog name, or the file name without extension for a user's own file.</param>
/// <param name="Precision">FP32 or INT8 (the catalog's word; for other files, INT8 when the graph is quantized).</param>
/// <param name="Sha256">Lower-case hex sha256 of the .onnx file.</param>
/// <param name="Family">Pre/post-processing family (yolov8, nanodet-plus, tf-od-api).</param>
/// <param name="InputSize">Network input as width x height, e.g. <c>416x416</c> (<c>any</c> when the graph resizes).</param>
/// <param name="Gflops">Estimated giga-operations per image (2 x multiply-adds; float and integer ops together) from
/// static shape inference, or null when shapes could not be resolved.</param>
/// <param name="Parameters">Initializer elements in the file.</param>
/// <param name="Quantization">None, QOperator or QDQ.</param>
/// <param name="FileBytes">File size in bytes.</param>
/// <param name="Path">The file that ran.</param>
/// <param name="Int8Counterpart">Catalog name of this model's INT8 version, if the catalog has one.</param>
/// <param name="PublishedApPercent">The catalog's published COCO val2017 AP@[.50:.95] in percent, for context.</param>
/// <param name="Note">The catalog's note on this file (printed next to its published numbers), or null.</param>
public sealed record ModelFacts(
    string Name,
    string Precision,
    string Sha256,
    string Family,
    string InputSize,
    double? Gflops,
    long Parameters,
    string Quantization,
    long FileBytes,
    string Path,
    string? Int8Counterpart,
    double? PublishedApPercent = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Note = null);
