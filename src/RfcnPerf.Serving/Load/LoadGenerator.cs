using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Closed loop (C clients back to back) or open loop (Poisson arrivals at R/s, latency counted from each
/// request's intended send time, so a server that falls behind shows its queueing instead of slowing the
/// client down). Bounded in count and time: a run ends at --requests or --duration, whichever comes first,
/// and requests still in flight are waited for at most a minute.
/// </summary>
internal static class LoadGenerator
{
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromMinutes(1);

    /// <summary>Connection errors in a row (no answer of any status between them) that end a run early.</summary>
    internal const int MaxConnectionErrorsInARow = 100;

    /// <summary>Runs the load; <paramref name="progress"/> gets the fraction done now and then.</summary>
    public static async Task<LoadResult> RunAsync(LoadOptions options, Action<double>? progress = null, CancellationToken cancel = default)
    {
        using var client = new LoadClient(options);
        for (var i = 0; i < options.Warmup; i++)
        {
            await client.SendAsync(i, cancel).ConfigureAwait(false);
        }

        var memoryBefore = options.MetricsUrl is { } metrics ? await ServerMemory.ReadAsync(metrics, cancel).ConfigureAwait(false) : null;
        var duration = options.Duration ?? (options.Requests is null ? DefaultDuration : TimeSpan.FromHours(1));
        var limit = options.Requests ?? int.MaxValue;
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var sent = 0;
        var start = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(duration);
        using var ticker = new Timer(_ => progress?.Invoke(Math.Min(1, Math.Max(
            Stopwatch.GetElapsedTime(start) / duration, (double)Volatile.Read(ref sent) / limit))), null, 250, 250);

        // A server that went away (stopped, crashed) refuses connections at once: without this, closed-loop clients
        // would retry as fast as the kernel refuses, hundreds of thousands of times, until --duration ends.
        var refusedInARow = 0;
        string? stoppedEarly = null;
        void Record(string? error, long intended)
        {
            if (error is null)
            {
                latencies.Add(Stopwatch.GetElapsedTime(intended).TotalMilliseconds);
            }
            else
            {
                errors.AddOrUpdate(error, 1, (_, n) => n + 1);
            }

            if (error is null || !error.StartsWith("connection-error", StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref refusedInARow, 0);
            }
            else if (Interlocked.Increment(ref refusedInARow) == MaxConnectionErrorsInARow)
            {
                var after = Stopwatch.GetElapsedTime(start).TotalSeconds;
                stop.Cancel();
                stoppedEarly = string.Create(CultureInfo.InvariantCulture,
                    $"stopped after {after:F1} s: {MaxConnectionErrorsInARow} connection errors in a row (the server is not answering)");
            }
        }

        if (options.Rate is not { } rate)
        {
            var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(w => Task.Run(async () =>
            {
                // The refusal count is checked as well as the token: between the 100th refusal and the cancel, a
                // client that finished its request would otherwise start another one.
                while (!stop.IsCancellationRequested && Volatile.Read(ref refusedInARow) < MaxConnectionErrorsInARow)
                {
                    var n = Interlocked.Increment(ref sent);
                    if (n > limit)
                    {
                        Interlocked.Decrement(ref sent);
                        return;
                    }

                    var t = Stopwatch.GetTimestamp();
                    Record(await client.SendAsync(n, CancellationToken.None).ConfigureAwait(false), t);
                }
            })).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        else
        {
            if (rate <= 0)
            {
                throw new Core.RfcnPerfException($"--rate must be positive, got {rate}");
            }

            var arrivals = new PoissonArrivals(rate, options.Seed);
            var inFlight = new List<Task>();
            var active = 0;
            double next = 0;
            while (!stop.IsCancellationRequested && sent < limit && Volatile.Read(ref refusedInARow) < MaxConnectionErrorsInARow)
            {
                next += arrivals.NextGapSeconds();
                var intended = start + (long)(next * Stopwatch.Frequency);
                try
                {
                    await PoissonArrivals.WaitUntilAsync(intended, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var n = sent++;
                if (Volatile.Read(ref active) >= options.MaxInFlight)
                {
                    Record("client-overload", intended);
                    continue;
                }

                Interlocked.Increment(ref active);
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        Record(await client.SendAsync(n, CancellationToken.None).ConfigureAwait(false), intended);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref active);
                    }
                }));
                if (inFlight.Count > 1024)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAny(Task.WhenAll(inFlight), Task.Delay(InFlightGrace, cancel)).ConfigureAwait(false);
            var unfinished = inFlight.Count(t => !t.IsCompleted);
            if (unfinished > 0)
            {
                errors.AddOrUpdate("unfinished", unfinished, (_, n) => n + unfinished);
            }
        }

        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        progress?.Invoke(1);
        var memoryAfter = options.MetricsUrl is { } url && memoryBefore is not null ? await ServerMemory.ReadAsync(url, cancel).ConfigureAwait(false) : null;
        return LoadResult.From(options, latencies.ToArray(), errors.ToDictionary(), sent, wall, client.RequestBytes) with
        {
            StoppedEarly = stoppedEarly,
            ServerMemoryBefore = memoryBefore,
            ServerMemoryAfter = memoryAfter,
            LoadAverage = Core.Machine.LoadSnapshot.Read()?.ToString(),
        };
    }
}
