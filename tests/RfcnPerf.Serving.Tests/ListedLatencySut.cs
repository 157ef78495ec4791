using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The scenarios' test hook: a system under test that answers the k-th issued query after the k-th listed latency
/// (ns), on a <see cref="VirtualClock"/>, without waiting. A null entry never answers; a negative one fails.
/// </summary>
internal sealed class ListedLatencySut(IReadOnlyList<long?> latencies) : ISystemUnderTest
{
    private int issued;

    public string Name => "listed-latencies";

    /// <summary>Samples issued so far.</summary>
    public int Issued => issued;

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel)
    {
        var k = issued++;
        var latency = latencies[k % latencies.Count];
        if (latency is null)
        {
            return new TaskCompletionSource<SampleAnswer[]>().Task;
        }

        var now = clock.NowNs;
        var answer = latency < 0 ? new SampleAnswer(now, "503") : new SampleAnswer(now + latency.Value, null);
        return Task.FromResult(Enumerable.Repeat(answer, query.Samples.Length).ToArray());
    }
}
