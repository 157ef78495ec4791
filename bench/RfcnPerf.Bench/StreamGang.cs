using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench;

/// <summary>
/// Runs one request on each of several streams at once: the caller runs stream 0, dedicated threads run the
/// others, and a barrier starts and ends each round, so a round costs no allocation and no thread-pool hop.
/// </summary>
internal sealed class StreamGang : IDisposable
{
    private readonly IReadOnlyList<DetectorStream> streams;
    private readonly Barrier barrier;
    private readonly Thread[] workers;
    private readonly Exception?[] errors;
    private volatile bool stopping;

    public StreamGang(IReadOnlyList<DetectorStream> streams)
    {
        this.streams = streams;
        barrier = new Barrier(streams.Count);
        errors = new Exception?[streams.Count];
        workers = new Thread[streams.Count - 1];
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i + 1;
            workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"stream {index}" };
            workers[i].Start();
        }
    }

    /// <summary>One request on every stream, concurrently; returns stream 0's outputs.</summary>
    public ModelOutputs RunRound()
    {
        if (workers.Length == 0)
        {
            return streams[0].Run();
        }

        barrier.SignalAndWait();
        ModelOutputs? first = null;
        try
        {
            first = streams[0].Run();
        }
        catch (Exception ex)
        {
            errors[0] = ex;
        }

        barrier.SignalAndWait();
        ThrowIfFailed();
        return first!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (workers.Length > 0)
        {
            stopping = true;
            barrier.SignalAndWait();
            foreach (var w in workers)
            {
                w.Join();
            }
        }

        barrier.Dispose();
    }

    private void Work(int index)
    {
        while (true)
        {
            barrier.SignalAndWait();
            if (stopping)
            {
                return;
            }

            try
            {
                streams[index].Run();
            }
            catch (Exception ex)
            {
                errors[index] = ex;
            }

            barrier.SignalAndWait();
        }
    }

    private void ThrowIfFailed()
    {
        var failed = errors.Where(e => e is not null).ToArray();
        if (failed.Length > 0)
        {
            Array.Clear(errors);
            throw new AggregateException("a stream's request failed", failed!);
        }
    }
}
