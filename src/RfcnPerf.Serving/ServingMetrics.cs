using Prometheus;

namespace RfcnPerf.Serving;

/// <summary>
/// The server's Prometheus metrics (prometheus-net), in a registry of their own so that several servers in
/// one process (tests) do not share counters. Served at <c>/metrics</c> on the REST port.
/// </summary>
internal sealed class ServingMetrics
{
    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();

        // Process and GC metrics (process_working_set_bytes = RSS, dotnet_total_memory_bytes, CPU, threads):
        // `rfcnperf load` reads them to report the server's memory before and after a run.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("rfcnperf_requests_total", "Requests answered, by endpoint and status.",
            new CounterConfiguration { LabelNames = ["endpoint", "status"] });
        Errors = factory.CreateCounter("rfcnperf_request_errors_total", "Requests answered with an error, by endpoint and status.",
            new CounterConfiguration { LabelNames = ["endpoint", "status"] });
        Latency = factory.CreateHistogram("rfcnperf_request_duration_seconds", "Request latency from first byte read to response written, by endpoint.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        BatchSize = factory.CreateHistogram("rfcnperf_batch_size", "Images per model run, by model.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(1, 2, 11) });
        QueueDepth = factory.CreateGauge("rfcnperf_queue_depth", "Images waiting for a model run, by model.",
            new GaugeConfiguration { LabelNames = ["model"] });
        ModelRuns = factory.CreateCounter("rfcnperf_model_runs_total", "Model runs (batches), by model.",
            new CounterConfiguration { LabelNames = ["model"] });
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Counter Errors { get; }

    public Histogram Latency { get; }

    public Histogram BatchSize { get; }

    public Gauge QueueDepth { get; }

    public Counter ModelRuns { get; }

    public void Record(string endpoint, string status, bool error, double seconds)
    {
        Requests.WithLabels(endpoint, status).Inc();
        if (error)
        {
            Errors.WithLabels(endpoint, status).Inc();
        }

        Latency.WithLabels(endpoint).Observe(seconds);
    }
}
