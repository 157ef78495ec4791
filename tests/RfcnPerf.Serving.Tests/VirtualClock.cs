using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>A scenario clock on which waiting moves time forward at once: runs with a fake system under test are exact and instant.</summary>
internal sealed class VirtualClock : ScenarioClock
{
    private long now;

    public override long NowNs => now;

    public override ValueTask WaitUntilAsync(long ns, CancellationToken cancel)
    {
        now = Math.Max(now, ns);
        return ValueTask.CompletedTask;
    }
}
