namespace RfcnPerf.Serving.Load;

/// <summary>
/// What a scenario run measured, in LoadGen's terms (loadgen.cc, PerformanceResult). Latencies in ns; a sample
/// that was not sent, failed, or had not finished when the run stopped waiting has the latency
/// <see cref="Unanswered"/>, so it sorts above every bound and counts as over it.
/// </summary>
internal sealed record ScenarioRecord
{
    /// <summary>The latency of a sample with no answer in time: over every bound.</summary>
    public const long Unanswered = long.MaxValue;

    /// <summary>Per sample, in issue order: completion minus the query's scheduled time.</summary>
    public required long[] SampleLatencies { get; init; }

    /// <summary>Per query (multi-stream's metric): the last sample's completion minus the scheduled time.</summary>
    public required long[] QueryLatencies { get; init; }

    public required long QueriesIssued { get; init; }

    /// <summary>Seconds: the largest sample latency (offline's duration).</summary>
    public required double MaxLatencySeconds { get; init; }

    /// <summary>Seconds from the start to the final query's scheduled time (server's duration).</summary>
    public required double FinalQueryScheduledSeconds { get; init; }

    /// <summary>Seconds from the start to the final query's issue (single/multi-stream's duration).</summary>
    public required double FinalQueryIssuedSeconds { get; init; }

    /// <summary>Seconds from the start until every sample of the final query was answered.</summary>
    public required double FinalQueryDoneSeconds { get; init; }

    /// <summary>Server: arrivals not sent because <see cref="ScenarioSettings.MaxInFlight"/> were in flight.</summary>
    public int Unsent { get; init; }

    /// <summary>Samples answered with an error, by status.</summary>
    public required IReadOnlyDictionary<string, int> Failed { get; init; }

    /// <summary>Samples still unanswered when the run stopped waiting.</summary>
    public int Unfinished { get; init; }

    /// <summary>Why issuing stopped before the minimums were met (a maximum reached), else null.</summary>
    public string? EndedEarly { get; init; }
}
