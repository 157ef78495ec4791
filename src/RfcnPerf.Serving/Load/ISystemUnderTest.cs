namespace RfcnPerf.Serving.Load;

/// <summary>
/// What a scenario drives (LoadGen's SystemUnderTest): the detector in process, a server over HTTP/gRPC, or a fake
/// that answers after listed latencies.
/// </summary>
internal interface ISystemUnderTest
{
    /// <summary>Shown in the summary ("SUT name :").</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="query"/> and answers one <see cref="SampleAnswer"/> per sample, timed on
    /// <paramref name="clock"/>. Must return quickly and do the work asynchronously: the server scenario issues
    /// the next arrival while earlier ones are in flight.
    /// </summary>
    Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel);
}
