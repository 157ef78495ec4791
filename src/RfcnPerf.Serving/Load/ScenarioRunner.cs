using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Issues a scenario's queries to a system under test the way LoadGen does (loadgen.cc GenerateQueries,
/// issue_query_controller.cc IssueQueriesInternal) and records what it measured. A run ends when both the minimum
/// duration and the minimum query count are met, or earlier at a maximum (duration or queries), which the summary
/// then finds unmet.
/// </summary>
internal static class ScenarioRunner
{
    /// <summary>Runs <paramref name="settings"/> against <paramref name="sut"/>, drawing samples from <paramref name="loadedSamples"/> loaded ones.</summary>
    public static Task<ScenarioRecord> RunAsync(ScenarioSettings settings, ISystemUnderTest sut, int loadedSamples, ScenarioClock clock, CancellationToken cancel = default)
    {
        if (loadedSamples < 1)
        {
            throw new Core.RfcnPerfException("a scenario needs at least one loaded sample");
        }

        return settings.Scenario switch
        {
            LoadScenario.Server => ServerAsync(settings, sut, loadedSamples, clock, cancel),
            LoadScenario.Offline => OfflineAsync(settings, sut, loadedSamples, clock, cancel),
            _ => StreamAsync(settings, sut, loadedSamples, clock, cancel),
        };
    }

    // Single- and multi-stream: the next query is issued when the previous one has completed; the run ends after
    // the query whose issue time reaches the minimum duration once the minimum count is reached.
    private static async Task<ScenarioRecord> StreamAsync(ScenarioSettings s, ISystemUnderTest sut, int loaded, ScenarioClock clock, CancellationToken cancel)
    {
        var picker = new Random(s.SampleSeed);
        var samples = new List<long>();
        var queries = new List<long>();
        var failed = new Dictionary<string, int>(StringComparer.Ordinal);
        var unfinished = 0;
        long issuedAt = 0, doneAt = 0;
        string? endedEarly = null;
        for (var index = 0; ; index++)
        {
            issuedAt = clock.NowNs;
            var query = new ScenarioQuery(index, Pick(picker, loaded, s.SamplesPerQuery, s.Scenario == LoadScenario.MultiStream), issuedAt);
            var answers = await AnswerWithin(sut.IssueAsync(query, clock, cancel), s, cancel).ConfigureAwait(false);
            long queryLatency = 0;
            doneAt = issuedAt;
            for (var i = 0; i < s.SamplesPerQuery; i++)
            {
                var latency = Latency(answers, i, issuedAt, failed, ref unfinished);
                samples.Add(latency);
                queryLatency = Math.Max(queryLatency, latency);
                doneAt = Math.Max(doneAt, answers is null ? clock.NowNs : answers[i].CompletedNs);
            }

            queries.Add(queryLatency);
            await clock.WaitUntilAsync(doneAt, cancel).ConfigureAwait(false);
            var issued = index + 1;
            if (issued >= s.MinQueryCount && issuedAt >= s.MinDurationNs)
            {
                break;
            }

            if ((endedEarly = Maximum(s, issued, issuedAt)) is not null)
            {
                break;
            }
        }

        return new ScenarioRecord
        {
            SampleLatencies = [.. samples],
            QueryLatencies = [.. queries],
            QueriesIssued = queries.Count,
            MaxLatencySeconds = Seconds(samples.Max()),
            FinalQueryScheduledSeconds = Seconds(issuedAt),
            FinalQueryIssuedSeconds = Seconds(issuedAt),
            FinalQueryDoneSeconds = Seconds(doneAt),
            Failed = failed,
            Unfinished = unfinished,
            EndedEarly = endedEarly,
        };
    }

    // Server: arrivals at the scheduled times of a Poisson process (the first at 0), generated until one is due at or
    // after the minimum duration and the minimum count is reached; latency counts from the scheduled time, so a
    // system that falls behind shows its queue. Arrivals beyond the in-flight limit are not sent.
    private static async Task<ScenarioRecord> ServerAsync(ScenarioSettings s, ISystemUnderTest sut, int loaded, ScenarioClock clock, CancellationToken cancel)
    {
        var arrivals = new PoissonArrivals(s.TargetQps, s.ScheduleSeed);
        var picker = new Random(s.SampleSeed);
        var pending = new List<(ScenarioQuery Query, Task<SampleAnswer[]>? Answer)>();
        var inFlight = 0;
        double scheduledSeconds = 0;
        string? endedEarly = null;
        for (var index = 0; ; index++)
        {
            var scheduled = (long)(scheduledSeconds * 1e9);
            await clock.WaitUntilAsync(scheduled, cancel).ConfigureAwait(false);
            var query = new ScenarioQuery(index, Pick(picker, loaded, 1, false), scheduled);
            if (Volatile.Read(ref inFlight) >= s.MaxInFlight)
            {
                pending.Add((query, null));
            }
            else
            {
                Interlocked.Increment(ref inFlight);
                pending.Add((query, Track(sut.IssueAsync(query, clock, cancel))));
            }

            var issued = index + 1;
            if (issued >= s.MinQueryCount && scheduled >= s.MinDurationNs)
            {
                break;
            }

            if ((endedEarly = Maximum(s, issued, clock.NowNs)) is not null)
            {
                break;
            }

            scheduledSeconds += arrivals.NextGapSeconds();
        }

        try
        {
            await Task.WhenAll(pending.Where(p => p.Answer is not null).Select(p => (Task)p.Answer!)).WaitAsync(s.Drain, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Counted below: each query still running is unfinished.
        }
        catch (Exception) when (!cancel.IsCancellationRequested)
        {
            // A faulted query is counted below under its exception's name.
        }

        var failed = new Dictionary<string, int>(StringComparer.Ordinal);
        var unfinished = 0;
        var unsent = 0;
        var samples = new long[pending.Count];
        long lastDone = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var (query, answer) = pending[i];
            if (answer is null)
            {
                unsent++;
                samples[i] = ScenarioRecord.Unanswered;
                continue;
            }

            var answers = Outcome(answer);
            samples[i] = Latency(answers, 0, query.ScheduledNs, failed, ref unfinished);
            if (samples[i] != ScenarioRecord.Unanswered)
            {
                // LoadGen takes the final query's completion; when that one has no answer, the last answer there was.
                lastDone = i == pending.Count - 1 ? answers![0].CompletedNs : Math.Max(lastDone, answers![0].CompletedNs);
            }
        }

        return new ScenarioRecord
        {
            SampleLatencies = samples,
            QueryLatencies = samples,
            QueriesIssued = pending.Count,
            MaxLatencySeconds = Seconds(samples.Max()),
            FinalQueryScheduledSeconds = Seconds(pending[^1].Query.ScheduledNs),
            FinalQueryIssuedSeconds = Seconds(pending[^1].Query.ScheduledNs),
            FinalQueryDoneSeconds = Seconds(lastDone),
            Unsent = unsent,
            Failed = failed,
            Unfinished = unfinished,
            EndedEarly = endedEarly,
        };

        async Task<SampleAnswer[]> Track(Task<SampleAnswer[]> answer)
        {
            try
            {
                return await answer.ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    // Offline: one query of every sample (the loaded set repeated, as LoadGen's offline performance query), issued at 0.
    private static async Task<ScenarioRecord> OfflineAsync(ScenarioSettings s, ISystemUnderTest sut, int loaded, ScenarioClock clock, CancellationToken cancel)
    {
        var indices = new int[s.SamplesPerQuery];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = i % loaded;
        }

        var query = new ScenarioQuery(0, indices, clock.NowNs);
        var failed = new Dictionary<string, int>(StringComparer.Ordinal);
        var unfinished = 0;
        var answers = await AnswerWithin(sut.IssueAsync(query, clock, cancel), s, cancel).ConfigureAwait(false);
        var samples = new long[indices.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Latency(answers, i, query.ScheduledNs, failed, ref unfinished);
        }

        var answered = samples.Where(l => l != ScenarioRecord.Unanswered).DefaultIfEmpty(0).Max();
        return new ScenarioRecord
        {
            SampleLatencies = samples,
            QueryLatencies = [samples.Max()],
            QueriesIssued = 1,

            // LoadGen's offline duration is the largest latency; unanswered samples do not stretch it to infinity,
            // they are counted (and the throughput only counts answered samples, see ScenarioSummary).
            MaxLatencySeconds = Seconds(answered),
            FinalQueryScheduledSeconds = 0,
            FinalQueryIssuedSeconds = Seconds(query.ScheduledNs),
            FinalQueryDoneSeconds = Seconds(answered),
            Failed = failed,
            Unfinished = unfinished,
        };
    }

    /// <summary>Sample indices of one query: uniform over the loaded set; multi-stream takes consecutive ones from a random start.</summary>
    private static int[] Pick(Random picker, int loaded, int count, bool contiguous)
    {
        var samples = new int[count];
        var first = picker.Next(loaded);
        for (var i = 0; i < count; i++)
        {
            samples[i] = contiguous ? (first + i) % loaded : (i == 0 ? first : picker.Next(loaded));
        }

        return samples;
    }

    private static async Task<SampleAnswer[]?> AnswerWithin(Task<SampleAnswer[]> answer, ScenarioSettings s, CancellationToken cancel)
    {
        try
        {
            return await answer.WaitAsync(s.Drain, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (Exception ex) when (!cancel.IsCancellationRequested && ex is not OperationCanceledException)
        {
            return Enumerable.Repeat(new SampleAnswer(0, ex.GetType().Name), Math.Max(1, s.SamplesPerQuery)).ToArray();
        }
    }

    private static SampleAnswer[]? Outcome(Task<SampleAnswer[]> answer) => answer.Status switch
    {
        TaskStatus.RanToCompletion => answer.Result,
        TaskStatus.Faulted => [new SampleAnswer(0, answer.Exception!.InnerException!.GetType().Name)],
        TaskStatus.Canceled => [new SampleAnswer(0, "canceled")],
        _ => null,
    };

    /// <summary>Sample <paramref name="i"/>'s latency; null answers are unfinished, errors are counted by status; both are <see cref="ScenarioRecord.Unanswered"/>.</summary>
    private static long Latency(SampleAnswer[]? answers, int i, long scheduled, Dictionary<string, int> failed, ref int unfinished)
    {
        if (answers is null)
        {
            unfinished++;
            return ScenarioRecord.Unanswered;
        }

        if (answers[Math.Min(i, answers.Length - 1)].Error is { } error)
        {
            failed[error] = failed.GetValueOrDefault(error) + 1;
            return ScenarioRecord.Unanswered;
        }

        return answers[i].CompletedNs - scheduled;
    }

    private static string? Maximum(ScenarioSettings s, long issued, long nowNs) =>
        s.MaxQueryCount != 0 && issued >= s.MaxQueryCount ? $"max query count reached ({s.MaxQueryCount})"
        : s.MaxDurationNs != 0 && nowNs > s.MaxDurationNs ? string.Create(CultureInfo.InvariantCulture, $"max duration reached ({s.MaxDurationNs / 1e9:G4} s)")
        : null;

    private static double Seconds(long ns) => ns / 1e9;
}
