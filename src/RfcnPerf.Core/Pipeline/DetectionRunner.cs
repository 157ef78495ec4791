using System.Diagnostics;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Pipeline;

/// <summary>Runs a pipeline over an image list in batches, decoding each image with SkiaSharp.</summary>
public static class DetectionRunner
{
    /// <summary>
    /// Processes <paramref name="images"/> in order. A corrupt or missing image stops the run with the file's
    /// name unless <paramref name="skipBadImages"/> is set (then it is listed in the result).
    /// <paramref name="progress"/> receives the number of images done after every batch. With a
    /// <paramref name="checkpoint"/>, images it already holds are restored instead of run again and every new
    /// run is recorded in it, so an interrupted pass resumes where it stopped.
    /// </summary>
    public static DetectionRunResult Run(
        DetectionPipeline pipeline,
        IReadOnlyList<ImageRef> images,
        bool skipBadImages = false,
        Action<int>? progress = null,
        CancellationToken cancellationToken = default,
        DetectionCheckpoint? checkpoint = null)
    {
        var result = new DetectionRunResult();
        var wall = Stopwatch.StartNew();
        checkpoint?.Restore(result);
        var batch = new List<DecodedImage>(pipeline.BatchSize);
        var refs = new List<ImageRef>(pipeline.BatchSize);
        var detections = new List<Detection>[pipeline.BatchSize];
        for (var i = 0; i < detections.Length; i++)
        {
            detections[i] = [];
        }

        var done = 0;
        double decodeMs = 0;
        try
        {
            foreach (var image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (checkpoint is not null && checkpoint.DonePaths.Contains(image.Path))
                {
                    done++;
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                DecodedImage decoded;
                try
                {
                    decoded = ImageDecoder.Decode(image.Path);
                }
                catch (RfcnPerfException ex) when (skipBadImages)
                {
                    result.BadImages.Add((image.Path, ex.Message));
                    checkpoint?.AppendBad(image.Path, ex.Message);
                    done++;
                    continue;
                }

                decodeMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                batch.Add(decoded);
                refs.Add(image);
                if (batch.Count == pipeline.BatchSize)
                {
                    done += Flush(pipeline, batch, refs, detections, decodeMs, result, checkpoint);
                    decodeMs = 0;
                    progress?.Invoke(done);
                }
            }

            if (batch.Count > 0)
            {
                done += Flush(pipeline, batch, refs, detections, decodeMs, result, checkpoint);
            }

            // Also reached when the list ends with skipped images, so the count always ends at the list length.
            progress?.Invoke(done);
        }
        finally
        {
            foreach (var d in batch)
            {
                d.Dispose();
            }
        }

        RestoreListOrder(result, images, checkpoint);
        result.WallTime = wall.Elapsed;
        return result;
    }

    /// <summary>Restored images were appended first; puts everything back in image-list order.</summary>
    internal static void RestoreListOrder(DetectionRunResult result, IReadOnlyList<ImageRef> images, DetectionCheckpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return;
        }

        var order = new Dictionary<string, int>(images.Count, StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            order.TryAdd(images[i].Path, i);
        }

        var sorted = result.Images.OrderBy(i => order.GetValueOrDefault(i.Image.Path, int.MaxValue)).ToList();
        result.Images.Clear();
        result.Images.AddRange(sorted);
    }

    private static int Flush(DetectionPipeline pipeline, List<DecodedImage> batch, List<ImageRef> refs, List<Detection>[] detections, double decodeMs, DetectionRunResult result, DetectionCheckpoint? checkpoint)
    {
        var warmup = pipeline.Stream.Session.FirstRunTime is null;
        var prepareMs = pipeline.Prepare(batch);
        var inferMs = pipeline.Infer();
        var start = Stopwatch.GetTimestamp();
        pipeline.Decode(batch.Count, detections);
        var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var added = new ImageDetections[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            added[b] = new ImageDetections(refs[b], batch[b].Width, batch[b].Height, detections[b].ToArray());
        }

        var record = new BatchRecord(new StageTimes(decodeMs, prepareMs, inferMs, postMs), batch.Count, warmup);
        result.Images.AddRange(added);
        result.Batches.Add(record);
        checkpoint?.Append(record, added);
        var count = batch.Count;
        foreach (var d in batch)
        {
            d.Dispose();
        }

        batch.Clear();
        refs.Clear();
        return count;
    }
}
