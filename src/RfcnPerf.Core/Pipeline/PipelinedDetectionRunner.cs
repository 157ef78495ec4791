using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

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

        var detections = new List<Detection>[batchSize];
        for (var i = 0; i < detections.Length; i++)
        {
            detections[i] = [];
        }

        var done = 0;
        var steadyStart = Stopwatch.GetTimestamp();
        var steadyImages = 0;
        producer.Start();
        try
        {
            foreach (var item in ready.GetConsumingEnumerable(stop.Token))
            {
                foreach (var (path, reason) in item.Bad)
                {
                    result.BadImages.Add((path, reason));
                    checkpoint?.AppendBad(path, reason);
                }

                done += item.Skipped;
                if (item.Slot < 0)
                {
                    continue;
                }

                var pipeline = slots[item.Slot];
                var warmup = pipeline.Stream.Session.FirstRunTime is null;
                var inferMs = pipeline.Infer();
                var start = Stopwatch.GetTimestamp();
                pipeline.Decode(item.Refs.Length, detections);
                var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var added = new ImageDetections[item.Refs.Length];
                for (var b = 0; b < added.Length; b++)
                {
                    added[b] = new ImageDetections(item.Refs[b], item.Sizes[b].Width, item.Sizes[b].Height, detections[b].ToArray());
                }

                free.Add(item.Slot, stop.Token);
                var record = new BatchRecord(new StageTimes(item.DecodeMs, item.PrepareMs, inferMs, postMs), added.Length, warmup);
                result.Images.AddRange(added);
                result.Batches.Add(record);
                checkpoint?.Append(record, added);
                if (warmup)
                {
                    // Steady state starts once the warm-up run is done (the next batch is usually prepared by then).
                    steadyStart = Stopwatch.GetTimestamp();
                }
                else
                {
                    steadyImages += added.Length;
                }

                done += added.Length;
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
        var decoded = new List<DecodedImage>(batchSize);
        var refs = new List<ImageRef>(batchSize);
        var bad = new List<(string, string)>();
        var skipped = 0;
        double decodeMs = 0;
        try
        {
            foreach (var image in images)
            {
                token.ThrowIfCancellationRequested();
                if (checkpoint is not null && checkpoint.DonePaths.Contains(image.Path))
                {
                    skipped++;
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    decoded.Add(ImageDecoder.Decode(image.Path));
                }
                catch (RfcnPerfException ex) when (skipBadImages)
                {
                    bad.Add((image.Path, ex.Message));
                    skipped++;
                    continue;
                }

                decodeMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                refs.Add(image);
                if (decoded.Count == batchSize)
                {
                    ready.Add(Prepare(decoded, refs, bad, skipped, decodeMs, free, token), token);
                    bad = [];
                    skipped = 0;
                    decodeMs = 0;
                }
            }

            if (decoded.Count > 0 || bad.Count > 0 || skipped > 0)
            {
                ready.Add(decoded.Count > 0 ? Prepare(decoded, refs, bad, skipped, decodeMs, free, token) : new Prepared(-1, [], [], 0, 0, bad, skipped), token);
            }
        }
        finally
        {
            foreach (var d in decoded)
            {
                d.Dispose();
            }
        }
    }

    private Prepared Prepare(List<DecodedImage> decoded, List<ImageRef> refs, List<(string, string)> bad, int skipped, double decodeMs, BlockingCollection<int> free, CancellationToken token)
    {
        var slot = free.Take(token);
        var prepareMs = slots[slot].Prepare(decoded);
        var sizes = decoded.Select(d => (d.Width, d.Height)).ToArray();
        var item = new Prepared(slot, [.. refs], sizes, decodeMs, prepareMs, bad, skipped);
        foreach (var d in decoded)
        {
            d.Dispose();
        }

        decoded.Clear();
        refs.Clear();
        return item;
    }

    /// <summary>One batch pre-processed into slot <c>Slot</c> (-1: only bad/skipped images to report).</summary>
    private sealed record Prepared(int Slot, ImageRef[] Refs, (int Width, int Height)[] Sizes, double DecodeMs, double PrepareMs, List<(string Path, string Reason)> Bad, int Skipped);
}
