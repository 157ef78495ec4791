namespace RfcnPerf.Serving.Load;

/// <summary>
/// How one sample of a query ended: when (ns on the run's clock) and, if it failed, the status label (an HTTP
/// status, a gRPC code, "connection-error", an exception type). A failed sample counts as over any latency bound.
/// </summary>
internal readonly record struct SampleAnswer(long CompletedNs, string? Error);
