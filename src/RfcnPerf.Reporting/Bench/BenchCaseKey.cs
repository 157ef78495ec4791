using System.Globalization;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// What makes two benchmark cases of different runs the same measurement: the model file's content, its precision
/// and the session configuration, never a display name (BenchmarkDotNet's case names and catalog names change;
/// a file's sha256 does not).
/// </summary>
/// <param name="Sha256">sha256 of the model file (lower-case hex).</param>
/// <param name="Precision">FP32 or INT8.</param>
/// <param name="Batch">Images per request.</param>
/// <param name="IntraOp">Intra-op threads (0 = ONNX Runtime's default).</param>
/// <param name="InterOp">Execution mode and inter-op threads, e.g. <c>sequential</c> or <c>parallel inter=2</c>.</param>
/// <param name="Streams">Requests in flight.</param>
/// <param name="Affinity">Cores the process was pinned to, or null when not pinned.</param>
/// <param name="Mode">What was measured: benchmark class and method, e.g. <c>RealTimeBenchmarks.Infer</c>.</param>
public sealed record BenchCaseKey(string Sha256, string Precision, int Batch, int IntraOp, string InterOp, int Streams, int? Affinity, string Mode)
{
    /// <summary>Short text for tables, e.g. <c>batch 1, intra=0, sequential, 1 stream</c>.</summary>
    public string Configuration() => string.Create(CultureInfo.InvariantCulture,
        $"batch {Batch}, intra={IntraOp}, {InterOp}, {Streams} stream{(Streams == 1 ? string.Empty : "s")}{(Affinity is { } cores ? $", pinned to {cores} core{(cores == 1 ? string.Empty : "s")}" : string.Empty)}");
}
