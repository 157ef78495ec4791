namespace RfcnPerf.Serving.Load;

/// <summary>One load run: where, what, how hard, how long.</summary>
internal sealed record LoadOptions
{
    /// <summary>REST: the model URL (<c>http://127.0.0.1:8501/v1/models/rfcn</c> or <c>.../v2/models/rfcn</c>); gRPC: <c>http://HOST:PORT/NAME</c>.</summary>
    public required Uri Url { get; init; }

    public LoadProtocol Protocol { get; init; } = LoadProtocol.TfServingRest;

    public LoadPayload Payload { get; init; } = LoadPayload.B64;

    /// <summary>Image files, used round-robin.</summary>
    public required IReadOnlyList<string> Images { get; init; }

    /// <summary>Images per request.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Closed loop: clients sending back to back (ignored when <see cref="Rate"/> is set).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Open loop: Poisson arrivals at this many requests per second.</summary>
    public double? Rate { get; init; }

    /// <summary>Stop after this long (measured requests only).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop after this many measured requests.</summary>
    public int? Requests { get; init; }

    /// <summary>Warm-up requests when none are asked for.</summary>
    public const int DefaultWarmup = 2;

    /// <summary>Requests sent first, one at a time, and not measured.</summary>
    public int Warmup { get; init; } = DefaultWarmup;

    /// <summary>Open loop: requests allowed in flight before arrivals are dropped (counted as status "client-overload").</summary>
    public int MaxInFlight { get; init; } = 4096;

    /// <summary>Distinct request bodies built up front (each holds <see cref="Batch"/> images).</summary>
    public int DistinctBodies { get; init; } = 8;

    /// <summary>The server's Prometheus endpoint, read for its memory before and after the run; null skips it.</summary>
    public Uri? MetricsUrl { get; init; }

    /// <summary>Random seed of the arrival process.</summary>
    public int Seed { get; init; } = 12345;
}
