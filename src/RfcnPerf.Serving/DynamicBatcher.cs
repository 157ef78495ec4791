using System.Diagnostics;
using System.Threading.Channels;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Serving;

/// <summary>
/// TF Serving's batching scheduler, for images: requests put their images on one bounded queue; each stream
/// (a <see cref="DetectionPipeline"/> of its own) takes the oldest image, then waits up to the batch timeout
/// for more until the batch holds <c>maxBatch</c> images, and runs them as one batch (different sizes are
/// letterboxed into the same input tensor by the pipeline). A request whose images do not fit in the queue
/// is refused at once instead of growing memory. <see cref="Stop"/> (the server is stopping) lets the model runs
/// in progress finish and answers every image still waiting with 503 instead of running it, so a long queue
/// cannot hold shutdown past the host's drain timeout.
/// </summary>
internal sealed class DynamicBatcher
{
    private readonly Channel<Job> channel = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly string model;
    private readonly int maxBatch;
    private readonly int maxQueue;
    private readonly long timeoutTicks;
    private readonly ServingMetrics metrics;
    private readonly Task[] workers;
    private int queued;
    private long runs;
    private volatile bool stopping;

    public DynamicBatcher(string model, IReadOnlyList<DetectionPipeline> pipelines, int maxQueue, int timeoutMicros, ServingMetrics metrics)
    {
        this.model = model;
        maxBatch = pipelines[0].BatchSize;
        this.maxQueue = maxQueue;
        timeoutTicks = timeoutMicros * Stopwatch.Frequency / 1_000_000;
        this.metrics = metrics;
        workers = pipelines.Select(p => Task.Run(() => WorkAsync(p))).ToArray();
    }

    /// <summary>Model runs so far (one per batch).</summary>
    public long Runs => Interlocked.Read(ref runs);

    /// <summary>Images waiting now.</summary>
    public int Queued => Volatile.Read(ref queued);

    /// <summary>Images per run at most.</summary>
    public int MaxBatch => maxBatch;

    /// <summary>Queues <paramref name="images"/> and completes with their detections, in order.</summary>
    public Task<Detection[][]> SubmitAsync(IReadOnlyList<DecodedImage> images)
    {
        if (images.Count > maxQueue)
        {
            throw ServingException.Invalid($"the request has {images.Count} images but the batching queue holds at most {maxQueue} (--max-queue)");
        }

        while (true)
        {
            var now = Volatile.Read(ref queued);
            if (now + images.Count > maxQueue)
            {
                throw new ServingException(ServingErrorKind.Unavailable,
                    $"the batch scheduling queue is full: {now} images waiting, this request has {images.Count}, --max-queue is {maxQueue}");
            }

            if (Interlocked.CompareExchange(ref queued, now + images.Count, now) == now)
            {
                break;
            }
        }

        var request = new Request(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            if (!channel.Writer.TryWrite(new Job(request, i, images[i])))
            {
                Interlocked.Add(ref queued, -(images.Count - i));
                request.Fail(ShuttingDown(), images.Count - i);
                break;
            }
        }

        metrics.QueueDepth.WithLabels(model).Set(Queued);
        return request.Task;
    }

    /// <summary>
    /// Stops taking work: new requests and every image not yet in a model run are answered 503 (TF Serving's
    /// UNAVAILABLE); runs in progress finish and answer normally. Safe to call more than once.
    /// </summary>
    public void Stop()
    {
        stopping = true;
        channel.Writer.TryComplete();
    }

    /// <summary><see cref="Stop"/>, then returns when the runs in progress have ended and the queue is answered.</summary>
    public Task DrainAsync()
    {
        Stop();
        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(DetectionPipeline pipeline)
    {
        var reader = channel.Reader;
        var batch = new List<Job>(maxBatch);
        var images = new List<DecodedImage>(maxBatch);
        var detections = new List<Detection>[maxBatch];
        for (var i = 0; i < maxBatch; i++)
        {
            detections[i] = [];
        }

        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < maxBatch && reader.TryRead(out var job))
            {
                batch.Add(job);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var deadline = Stopwatch.GetTimestamp() + timeoutTicks;
            while (batch.Count < maxBatch)
            {
                if (reader.TryRead(out var job))
                {
                    batch.Add(job);
                    continue;
                }

                var remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    break;
                }

                var more = reader.WaitToReadAsync().AsTask();
                var delay = TimeSpan.FromTicks(remaining * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
                if (await Task.WhenAny(more, Task.Delay(delay)).ConfigureAwait(false) != more || !more.Result)
                {
                    break;
                }
            }

            Interlocked.Add(ref queued, -batch.Count);
            metrics.QueueDepth.WithLabels(model).Set(Queued);
            if (stopping)
            {
                // Not started yet: answer now rather than run a queue that may take longer than the drain timeout.
                foreach (var job in batch)
                {
                    job.Owner.Fail(ShuttingDown(), 1);
                }
            }
            else
            {
                Run(pipeline, batch, images, detections);
            }

            batch.Clear();
        }
    }

    private void Run(DetectionPipeline pipeline, List<Job> batch, List<DecodedImage> images, List<Detection>[] detections)
    {
        images.Clear();
        foreach (var job in batch)
        {
            images.Add(job.Image);
        }

        try
        {
            pipeline.Prepare(images);
            pipeline.Infer(images.Count);
            pipeline.Decode(images.Count, detections);
        }
        catch (Exception ex)
        {
            foreach (var job in batch)
            {
                job.Owner.Fail(ex, 1);
            }

            return;
        }

        Interlocked.Increment(ref runs);
        metrics.ModelRuns.WithLabels(model).Inc();
        metrics.BatchSize.WithLabels(model).Observe(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Owner.Complete(batch[i].Index, detections[i].ToArray());
        }
    }

    private static ServingException ShuttingDown() =>
        new(ServingErrorKind.Unavailable, "the server is shutting down; the request was not run (send it again to a running server)");

    private readonly record struct Job(Request Owner, int Index, DecodedImage Image);

    /// <summary>
    /// One request's images: completes when the last of them has run or failed, never earlier, so the caller
    /// may dispose the images as soon as the task ends.
    /// </summary>
    private sealed class Request(int count)
    {
        private readonly Detection[][] results = new Detection[count][];
        private readonly TaskCompletionSource<Detection[][]> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int remaining = count;
        private Exception? error;

        public Task<Detection[][]> Task => done.Task;

        public void Complete(int index, Detection[] detections)
        {
            results[index] = detections;
            Finish(1);
        }

        public void Fail(Exception ex, int images)
        {
            Interlocked.CompareExchange(ref error, ex, null);
            Finish(images);
        }

        private void Finish(int images)
        {
            if (Interlocked.Add(ref remaining, -images) != 0)
            {
                return;
            }

            if (Volatile.Read(ref error) is { } ex)
            {
                done.TrySetException(ex);
            }
            else
            {
                done.TrySetResult(results);
            }
        }
    }
}
