namespace RfcnPerf.Reporting.Bench;

/// <summary>The best case of one model in one precision (by latency or by throughput).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Precision">FP32 or INT8.</param>
/// <param name="Configuration">How it ran, e.g. <c>real-time intra-op sweep: batch 1, intra=2, sequential</c>.</param>
/// <param name="P50Ms">Median per request, ms.</param>
/// <param name="P90Ms">90th percentile per request, ms.</param>
/// <param name="P99Ms">99th percentile per request, ms.</param>
/// <param name="MeanMs">Mean per request, ms.</param>
/// <param name="ImagesPerSecond">Images per second (all streams, whole batch).</param>
public sealed record BenchBest(string Model, string Precision, string Configuration, double P50Ms, double P90Ms, double P99Ms, double MeanMs, double ImagesPerSecond)
{
    /// <summary>Row key: model and precision.</summary>
    public string Variant => $"{Model} {Precision}";
}
