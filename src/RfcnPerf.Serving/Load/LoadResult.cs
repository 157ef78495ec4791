using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Serving.Load;

/// <summary>What a load run measured. Latencies in milliseconds, successful requests only.</summary>
internal sealed record LoadResult
{
    public required string Protocol { get; init; }

    public required string Payload { get; init; }

    public required string Url { get; init; }

    public required int Batch { get; init; }

    /// <summary>"closed" or "open".</summary>
    public required string Mode { get; init; }

    public int Concurrency { get; init; }

    public double? OfferedRate { get; init; }

    public required int Sent { get; init; }

    public required int Succeeded { get; init; }

    public required IReadOnlyDictionary<string, int> ErrorsByStatus { get; init; }

    public required double WallSeconds { get; init; }

    public required double MeanMs { get; init; }

    public required double P50Ms { get; init; }

    public required double P90Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double P999Ms { get; init; }

    public required double MaxMs { get; init; }

    public double RequestsPerSecond => WallSeconds > 0 ? Succeeded / WallSeconds : double.NaN;

    public double ImagesPerSecond => RequestsPerSecond * Batch;

    /// <summary>Bytes of one request body (the first one).</summary>
    public long RequestBytes { get; init; }

    /// <summary>The machine's load averages when the run ended (it may be shared), when known.</summary>
    public string? LoadAverage { get; init; }

    /// <summary>The server's memory after the warm-up, before the measured requests (null: no /metrics).</summary>
    public ServerMemory? ServerMemoryBefore { get; init; }

    /// <summary>The server's memory once the last measured request was answered.</summary>
    public ServerMemory? ServerMemoryAfter { get; init; }

    /// <summary>Why the run ended before --requests / --duration (the server stopped answering); null when it did not.</summary>
    public string? StoppedEarly { get; init; }

    public static LoadResult From(LoadOptions options, IReadOnlyList<double> latencies, IReadOnlyDictionary<string, int> errors, int sent, double wall, long requestBytes)
    {
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new LoadResult
        {
            Protocol = options.Protocol.ToString(),
            Payload = options.Payload.ToString().ToLowerInvariant(),
            Url = options.Url.ToString(),
            Batch = options.Batch,
            Mode = options.Rate is null ? "closed" : "open",
            Concurrency = options.Rate is null ? options.Concurrency : 0,
            OfferedRate = options.Rate,
            Sent = sent,
            Succeeded = sorted.Length,
            ErrorsByStatus = errors,
            WallSeconds = wall,
            MeanMs = sorted.Length > 0 ? sorted.Average() : double.NaN,
            P50Ms = LatencySummary.Percentile(sorted, 50),
            P90Ms = LatencySummary.Percentile(sorted, 90),
            P99Ms = LatencySummary.Percentile(sorted, 99),
            P999Ms = LatencySummary.Percentile(sorted, 99.9),
            MaxMs = sorted.Length > 0 ? sorted[^1] : double.NaN,
            RequestBytes = requestBytes,
        };
    }
}
