using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Runs a detector over an image list with JPEG decoding and pre-processing of the next batches overlapping the
/// model call of the current one: a producer thread decodes each batch and pre-processes it straight into the
/// pinned input of a free slot (one <see cref="DetectionPipeline"/> over its own stream of the same session, so
/// no copy between the producer and ONNX Runtime); the calling thread only runs the model, batch after batch, and
/// hands each run slot back to the producer, which decodes its outputs (post-processing) and records the results
/// in order between its decoding work. At most <see cref="Depth"/> batches are in flight (bounded queue): a slot is
/// free again once its outputs are decoded. Detections equal <see cref="DetectionRunner"/>'s; the sequential runner stays the one whose stage
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
    /// end-to-end throughput is images over wall time, not a sum of stage times. Progress is reported from the
    /// producer thread, which also decodes the outputs (post-processing) and records the results, so that the
    /// calling thread does nothing between two model calls but hand a slot over.
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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ready = new BlockingCollection<Prepared>(slots.Length + 1);
        using var inferred = new BlockingCollection<Prepared>();
        var producer = new Producer(this, result, checkpoint, progress, ready, inferred);
        var thread = new Thread(() => producer.Run(images, skipBadImages, stop))
        {
            IsBackground = true,
            Name = "rfcnperf decode+pre-process+post-process",
        };

        thread.Start();
        try
        {
            // The model thread: every prepared batch runs here, in order, and goes back to the producer as it is.
            foreach (var item in ready.GetConsumingEnumerable(stop.Token))
            {
                if (item.Slot >= 0)
                {
                    var pipeline = slots[item.Slot];
                    item.Warmup = pipeline.Stream.Session.FirstRunTime is null;
                    item.InferMs = pipeline.Infer();
                }

                inferred.Add(item, stop.Token);
            }
        }
        catch (Exception) when (producer.Error is not null)
        {
            // The producer failed and cancelled the pass; its error is rethrown below.
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        finally
        {
            // Normal end: the producer records the last batches and stops; on an error it stops at its next wait.
            inferred.CompleteAdding();
            thread.Join();
        }

        producer.Error?.Throw();
        DetectionRunner.RestoreListOrder(result, images, checkpoint);
        result.WallTime = wall.Elapsed;
        if (producer.SteadyImages > 0)
        {
            result.PipelinedSteadyTime = Stopwatch.GetElapsedTime(producer.SteadyStart, producer.SteadyEnd);
            result.PipelinedSteadyImages = producer.SteadyImages;
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

    /// <summary>
    /// The producer thread's side of one pass: decodes each batch and pre-processes it into a free slot, and
    /// post-processes and records every batch the model thread hands back, in order (a slot is free again once
    /// its outputs are decoded). Recording happens only here, so results and the checkpoint see one writer.
    /// </summary>
    private sealed class Producer(
        PipelinedDetectionRunner runner,
        DetectionRunResult result,
        DetectionCheckpoint? checkpoint,
        Action<int>? progress,
        BlockingCollection<Prepared> ready,
        BlockingCollection<Prepared> inferred)
    {
        private readonly Stack<int> free = new(Enumerable.Range(0, runner.Depth).Reverse());
        private readonly List<Detection>[] detections = DetectionRunner.NewDetectionLists(runner.slots[0].BatchSize);
        private int done;

        public ExceptionDispatchInfo? Error { get; private set; }

        public long SteadyStart { get; private set; } = Stopwatch.GetTimestamp();

        public long SteadyEnd { get; private set; }

        public int SteadyImages { get; private set; }

        public void Run(IReadOnlyList<ImageRef> images, bool skipBadImages, CancellationTokenSource stop)
        {
            try
            {
                Produce(images, skipBadImages, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The model thread stopped (cancelled or failed); it reports why.
            }
            catch (Exception ex)
            {
                Error = ExceptionDispatchInfo.Capture(ex);
                stop.Cancel();
            }
            finally
            {
                ready.CompleteAdding();
            }
        }

        private void Produce(IReadOnlyList<ImageRef> images, bool skipBadImages, CancellationToken token)
        {
            foreach (var batch in DecodedBatch.Read(images, runner.slots[0].BatchSize, skipBadImages, checkpoint, token))
            {
                // The decoded pixels are no longer needed once pre-processed into the slot's pinned input.
                using (batch)
                {
                    while (inferred.TryTake(out var back))
                    {
                        Record(back);
                    }

                    if (batch.Images.Count == 0)
                    {
                        ready.Add(new Prepared(-1, batch, [], 0), token);
                        continue;
                    }

                    while (free.Count == 0)
                    {
                        Record(inferred.Take(token));
                    }

                    var slot = free.Pop();
                    var prepareMs = runner.slots[slot].Prepare(batch.Images);
                    ready.Add(new Prepared(slot, batch, [.. batch.Images.Select(d => (d.Width, d.Height))], prepareMs), token);
                }
            }

            // Nothing more to run: the model thread ends its loop and completes `inferred` after the last batch.
            ready.CompleteAdding();
            foreach (var back in inferred.GetConsumingEnumerable(token))
            {
                Record(back);
            }

            progress?.Invoke(done);
        }

        private void Record(Prepared item)
        {
            done += DetectionRunner.ReportSkipped(item.Batch, result, checkpoint);
            if (item.Slot >= 0)
            {
                var start = Stopwatch.GetTimestamp();
                runner.slots[item.Slot].Decode(item.Batch.Refs.Length, detections);
                var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                free.Push(item.Slot);
                done += DetectionRunner.Record(result, checkpoint, item.Batch.Refs, item.Sizes, detections, new StageTimes(item.Batch.DecodeMs, item.PrepareMs, item.InferMs, postMs), item.Warmup);
                if (item.Warmup)
                {
                    // Steady state starts once the warm-up run is recorded (the next batch is usually running by then).
                    SteadyStart = Stopwatch.GetTimestamp();
                }
                else
                {
                    SteadyImages += item.Batch.Refs.Length;
                    SteadyEnd = Stopwatch.GetTimestamp();
                }
            }

            progress?.Invoke(done);
        }
    }

    /// <summary>
    /// One batch pre-processed into slot <c>Slot</c> (-1: only skipped images to report); its decoded images are
    /// already disposed, the sizes kept. The model thread fills in <c>InferMs</c> and <c>Warmup</c>.
    /// </summary>
    private sealed record Prepared(int Slot, DecodedBatch Batch, (int Width, int Height)[] Sizes, double PrepareMs)
    {
        public double InferMs { get; set; }

        public bool Warmup { get; set; }
    }
}
