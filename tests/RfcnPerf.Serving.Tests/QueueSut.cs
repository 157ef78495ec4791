using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// A fake system under test that serves one sample at a time for a fixed time (a single-server queue), on a
/// <see cref="VirtualClock"/>: above 1 / service QPS its queue, and so its latency from the scheduled time, grows
/// without bound, which gives the peak search a known capacity.
/// </summary>
internal sealed class QueueSut(long serviceNs) : ISystemUnderTest
{
    private long busyUntil;

    public string Name => "queue";

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel)
    {
        var answers = new SampleAnswer[query.Samples.Length];
        for (var i = 0; i < answers.Length; i++)
        {
            busyUntil = Math.Max(busyUntil, clock.NowNs) + serviceNs;
            answers[i] = new SampleAnswer(busyUntil, null);
        }

        return Task.FromResult(answers);
    }
}
