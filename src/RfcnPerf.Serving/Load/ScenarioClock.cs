using System.Diagnostics;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The time a scenario runs on, in ns from its start. The real clock is the stopwatch; tests drive the same engine
/// on a virtual clock, where waiting moves time forward at once, so a fake system under test with listed latencies
/// gives exact numbers.
/// </summary>
internal abstract class ScenarioClock
{
    /// <summary>Nanoseconds since the clock started.</summary>
    public abstract long NowNs { get; }

    /// <summary>Returns at <paramref name="ns"/> (at once if that has passed).</summary>
    public abstract ValueTask WaitUntilAsync(long ns, CancellationToken cancel);

    /// <summary>A stopwatch clock that starts now.</summary>
    public static ScenarioClock StartReal() => new Real(Stopwatch.GetTimestamp());

    private sealed class Real(long start) : ScenarioClock
    {
        public override long NowNs => ToNs(Stopwatch.GetTimestamp() - start);

        public override async ValueTask WaitUntilAsync(long ns, CancellationToken cancel) =>
            await PoissonArrivals.WaitUntilAsync(start + (long)(ns * (Stopwatch.Frequency / 1e9)), cancel).ConfigureAwait(false);

        private static long ToNs(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));
    }
}
