namespace RfcnPerf.Serving.Load;

/// <summary>
/// Runs a query's samples one call each, at most a given number at a time, and times each answer on the scenario's
/// clock: the shared body of the in-process and the remote system under test.
/// </summary>
internal sealed class SampleFanOut(int maxInFlight)
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, maxInFlight));

    /// <summary>Runs <paramref name="sample"/> (a sample index -> null or an error label) for every sample of <paramref name="query"/>.</summary>
    public async Task<SampleAnswer[]> RunAsync(ScenarioQuery query, ScenarioClock clock, Func<int, Task<string?>> sample, CancellationToken cancel)
    {
        var answers = new Task<SampleAnswer>[query.Samples.Length];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = One(query.Samples[i]);
        }

        return await Task.WhenAll(answers).ConfigureAwait(false);

        async Task<SampleAnswer> One(int index)
        {
            await slots.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                var error = await sample(index).ConfigureAwait(false);
                return new SampleAnswer(clock.NowNs, error);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                return new SampleAnswer(clock.NowNs, ex is ServingException served ? served.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture) : ex.GetType().Name);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
