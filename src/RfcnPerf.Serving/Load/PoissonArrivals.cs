using System.Diagnostics;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The open-loop schedule: exponential gaps at a rate (a Poisson process), drawn from a seeded generator, and the
/// precise wait for an arrival (sleep until 1 ms before, then yield) that both the open-loop mode and the server
/// scenario use.
/// </summary>
internal sealed class PoissonArrivals(double rate, int seed)
{
    private readonly Random random = rate > 0 && double.IsFinite(rate)
        ? new Random(seed)
        : throw new Core.RfcnPerfException($"the arrival rate must be positive, got {rate}");

    /// <summary>Arrivals per second.</summary>
    public double Rate => rate;

    /// <summary>The next gap in seconds.</summary>
    public double NextGapSeconds() => -Math.Log(1 - random.NextDouble()) / rate;

    /// <summary>Waits until the stopwatch reads <paramref name="timestamp"/>; a timer until 1 ms before, then a yield loop.</summary>
    public static async ValueTask WaitUntilAsync(long timestamp, CancellationToken cancel)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.FromMilliseconds(1.5))
        {
            await Task.Delay(wait - TimeSpan.FromMilliseconds(1), cancel).ConfigureAwait(false);
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Yield();
        }
    }
}
