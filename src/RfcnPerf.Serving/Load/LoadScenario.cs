namespace RfcnPerf.Serving.Load;

/// <summary>MLPerf Inference LoadGen's four scenarios (loadgen/test_settings.h, TestScenario).</summary>
internal enum LoadScenario
{
    /// <summary>One sample per query; the next query when the previous one completes; p90.</summary>
    SingleStream,

    /// <summary>Eight samples per query; the next query when the previous one completes; p99 of query latency.</summary>
    MultiStream,

    /// <summary>One sample per query, Poisson arrivals at the target QPS; p99 against a latency bound.</summary>
    Server,

    /// <summary>Every sample in one query; samples per second.</summary>
    Offline,
}
