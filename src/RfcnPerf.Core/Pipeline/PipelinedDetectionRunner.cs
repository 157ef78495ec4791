using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Runs a detector over an image list with JPEG decoding and pre-processing of the next batches overlapping the
/// model call of the current one: a producer thread decodes each batch and pre-processes it straight into the
/// pinned input of a free slot (one <see cref="DetectionPipeline"/> over its own stream of the same session, so
/// no copy between the producer and ONNX Runtime); the calling thread runs the model and post-processes. At most
/// <see cref="Depth"/> batches are in flight (bounded queue): a slot returns to the producer once its outputs are
/// decoded. Detections equal <see cref="DetectionRunner"/>'s; the sequential runner stays the one whose stage
/// times are a per-request latency breakdown (here the stages of different batches overlap).
/// Create once per configuration: every slot past the first opens a stream on the session.
/// </summary>
public sealed class PipelinedDetectionRunner : IDisposable
{
    private readonly DetectionPipeline[] slots;

    /// <summary>
    /// Builds a runner whose first slot is <paramref name="pipeline"/> (not owned) and whose
    /// <paramref name="depth"/> - 1 other slots are new streams on the same session, with the same thresholds.
    /// </summary>
    public PipelinedDetectionRunner(DetectionPipeline pipeline, int depth = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        slots = new DetectionPipeline[depth];
        slots[0] = pipeline;
        for (var i = 1; i < depth; i++)
        {
            slots[i] = new DetectionPipeline(pipeline.Stream.Session.OpenStream(), pipeline.Categories, pipeline.Options);
        }
    }

    /// <summary>Batches in flight at most (decoded and pre-processed, running, or waiting for post-processing).</summary>
    public int Depth => slots.Length;

    /// <summary>
    /// Processes <paramref name="images"/> in order with the same contract as <see cref="DetectionRunner.Run"/>
    /// (bad images, progress after every batch, cancellation, checkpoint). The result's
    /// <see cref="DetectionRunResult.PipelinedSteadyTime"/> is the wall time of the steady batches, so its
    /// end-to-end throughput is images over wall time, not a sum of stage times.
    /// </summary>
    public DetectionRunResult Run(
        IReadOnlyList<ImageRef> images,
        bool skipBadImages = false,
        Action<int>? progress = null,
        CancellationToken cancellationToken = default,
        DetectionCheckpoint? checkpoint = null)
    {
        var result = new DetectionRunResult();
        var wall = Stopwatch.StartNew();
        checkpoint?.Restore(result);
        var batchSize = slots[0].BatchSize;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<int>(slots.Length);
        using var ready = new BlockingCollection<Prepared>(slots.Length + 1);
        for (var i = 0; i < slots.Length; i++)
        {
            free.Add(i);
        }

        ExceptionDispatchInfo? producerError = null;
        var producer = new Thread(() =>
        {
            try
            {
                Produce(images, batchSize, skipBadImages, checkpoint, free, ready, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped (cancelled or failed); it reports why.
            }
            catch (Exception ex)
            {
                producerError = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                ready.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "rfcnperf decode+pre-process",
        };

        var detections = DetectionRunner.NewDetectionLists(batchSize);
        var done = 0;
        var steadyStart = Stopwatch.GetTimestamp();
        var steadyImages = 0;
        producer.Start();
        try
        {
            foreach (var item in ready.GetConsumingEnumerable(stop.Token))
            {
                done += DetectionRunner.ReportSkipped(item.Batch, result, checkpoint);
                if (item.Slot < 0)
                {
                    continue;
                }

                var pipeline = slots[item.Slot];
                var warmup = pipeline.Stream.Session.FirstRunTime is null;
                var inferMs = pipeline.Infer();
                var start = Stopwatch.GetTimestamp();
                pipeline.Decode(item.Batch.Refs.Length, detections);
                var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

                // The outputs are decoded: the slot's buffers may take the next batch.
                free.Add(item.Slot, stop.Token);
                done += DetectionRunner.Record(result, checkpoint, item.Batch.Refs, item.Sizes, detections, new StageTimes(item.Batch.DecodeMs, item.PrepareMs, inferMs, postMs), warmup);
                if (warmup)
                {
                    // Steady state starts once the warm-up run is done (the next batch is usually prepared by then).
                    steadyStart = Stopwatch.GetTimestamp();
                }
                else
                {
                    steadyImages += item.Batch.Refs.Length;
                }

                progress?.Invoke(done);
            }

            progress?.Invoke(done);
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        finally
        {
            // Normal end: the producer has finished; on an error it was cancelled and stops at its next wait.
            producer.Join();
        }

        var steadyEnd = Stopwatch.GetTimestamp();
        producerError?.Throw();
        DetectionRunner.RestoreListOrder(result, images, checkpoint);
        result.WallTime = wall.Elapsed;
        if (steadyImages > 0)
        {
            result.PipelinedSteadyTime = Stopwatch.GetElapsedTime(steadyStart, steadyEnd);
            result.PipelinedSteadyImages = steadyImages;
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Slot 0 belongs to the caller; the streams of the others are disposed with their session.
        for (var i = slots.Length - 1; i >= 1; i--)
        {
            slots[i].Dispose();
        }
    }

    private void Produce(IReadOnlyList<ImageRef> images, int batchSize, bool skipBadImages, DetectionCheckpoint? checkpoint, BlockingCollection<int> free, BlockingCollection<Prepared> ready, CancellationToken token)
    {
        foreach (var batch in DecodedBatch.Read(images, batchSize, skipBadImages, checkpoint, token))
        {
            // The decoded pixels are no longer needed once pre-processed into the slot's pinned input.
            using (batch)
            {
                if (batch.Images.Count == 0)
                {
                    ready.Add(new Prepared(-1, batch, [], 0), token);
                    continue;
                }

                var slot = free.Take(token);
                var prepareMs = slots[slot].Prepare(batch.Images);
                ready.Add(new Prepared(slot, batch, [.. batch.Images.Select(d => (d.Width, d.Height))], prepareMs), token);
            }
        }
    }

    /// <summary>
    /// One batch pre-processed into slot <c>Slot</c> (-1: only skipped images to report); its decoded images are
    /// already disposed, the sizes kept.
    /// </summary>
    private sealed record Prepared(int Slot, DecodedBatch Batch, (int Width, int Height)[] Sizes, double PrepareMs);
}
