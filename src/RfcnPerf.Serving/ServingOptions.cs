namespace RfcnPerf.Serving;

/// <summary>
/// Server settings, named after TF Serving's flags and batching parameters where one exists
/// (<c>max_batch_size</c>, <c>batch_timeout_micros</c>, <c>max_enqueued_batches</c> counted in images here).
/// </summary>
internal sealed record ServingOptions
{
    /// <summary>Address to bind; loopback unless the operator says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>REST port (TF Serving's --rest_api_port); 0 picks a free one.</summary>
    public int RestPort { get; init; } = 8501;

    /// <summary>gRPC port (TF Serving's --port); 0 picks a free one, -1 disables gRPC.</summary>
    public int GrpcPort { get; init; } = 8500;

    /// <summary>Images per model run; 1 turns dynamic batching off (every image runs alone).</summary>
    public int MaxBatch { get; init; } = 1;

    /// <summary>How long the first image of a batch waits for more, in microseconds.</summary>
    public int BatchTimeoutMicros { get; init; } = 2000;

    /// <summary>Images waiting at most; a request that does not fit is refused at once with 503.</summary>
    public int MaxQueue { get; init; } = 1024;

    /// <summary>Batches in flight on each model (streams sharing one session).</summary>
    public int Streams { get; init; } = 1;

    /// <summary>Request body limit in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 256L << 20;

    /// <summary>Pixels one image may have (decoded or nested list); at most the decoder's own limit.</summary>
    public long MaxPixelsPerImage { get; init; } = 40_000_000;

    /// <summary>How long a stopping server waits for requests in flight.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        Check(MaxBatch >= 1, $"--max-batch must be at least 1, got {MaxBatch}");
        Check(BatchTimeoutMicros >= 0, $"--batch-timeout-us must be 0 or more, got {BatchTimeoutMicros}");
        Check(MaxQueue >= MaxBatch, $"--max-queue must be at least --max-batch ({MaxBatch}), got {MaxQueue}");
        Check(Streams >= 1, $"--streams must be at least 1, got {Streams}");
        Check(MaxBodyBytes >= 1024, $"--max-body-mb must be positive, got {MaxBodyBytes} bytes");
        Check(MaxPixelsPerImage is >= 1 and <= Core.Imaging.ImageDecoder.MaxPixels, $"--max-pixels must be 1..{Core.Imaging.ImageDecoder.MaxPixels}, got {MaxPixelsPerImage}");
        Check(RestPort is >= 0 and <= 65535, $"--rest-port must be 0..65535, got {RestPort}");
        Check(GrpcPort is >= -1 and <= 65535, $"--grpc-port must be -1 (off) or 0..65535, got {GrpcPort}");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new Core.RfcnPerfException(message);
        }
    }
}
