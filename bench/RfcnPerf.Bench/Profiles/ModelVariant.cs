namespace RfcnPerf.Bench.Profiles;

/// <summary>
/// One (model, precision) pair that exists as a file: the sweep's model parameter. FP32 and INT8 of the same
/// model share <see cref="Model"/>, so reports can pair them.
/// </summary>
/// <param name="Model">Model name without precision, e.g. <c>nanodet-m-416</c>.</param>
/// <param name="Precision"><c>FP32</c> or <c>INT8</c>.</param>
/// <param name="Source">Catalog name (e.g. <c>nanodet-m-416-int8</c>) or a path to an .onnx file.</param>
public sealed record ModelVariant(string Model, string Precision, string Source)
{
    /// <summary>True for the quantized member of a pair.</summary>
    public bool IsInt8 => string.Equals(Precision, "INT8", StringComparison.OrdinalIgnoreCase);

    /// <summary>Shown in BenchmarkDotNet's parameter column, e.g. <c>yolov8n FP32</c>.</summary>
    public override string ToString() => $"{Model} {Precision}";
}
