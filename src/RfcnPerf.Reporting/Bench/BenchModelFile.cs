namespace RfcnPerf.Reporting.Bench;

/// <summary>A model file a run measured: its name, precision and content hash.</summary>
/// <param name="Model">Catalog or file name.</param>
/// <param name="Precision">FP32 or INT8.</param>
/// <param name="Sha256">sha256 of the file (lower-case hex).</param>
public sealed record BenchModelFile(string Model, string Precision, string Sha256);
