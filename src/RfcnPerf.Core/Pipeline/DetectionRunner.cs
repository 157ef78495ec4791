using System.Diagnostics;
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
        var detections = NewDetectionLists(pipeline.BatchSize);
        var done = 0;
        foreach (var batch in DecodedBatch.Read(images, pipeline.BatchSize, skipBadImages, checkpoint, cancellationToken))
        {
            using (batch)
            {
                done += ReportSkipped(batch, result, checkpoint);
                if (batch.Images.Count == 0)
                {
                    continue;
                }

                var warmup = pipeline.Stream.Session.FirstRunTime is null;
                var prepareMs = pipeline.Prepare(batch.Images);
                var inferMs = pipeline.Infer();
                var start = Stopwatch.GetTimestamp();
                pipeline.Decode(batch.Images.Count, detections);
                var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                done += Record(result, checkpoint, batch.Refs, batch.Images.Select(d => (d.Width, d.Height)).ToArray(), detections, new StageTimes(batch.DecodeMs, prepareMs, inferMs, postMs), warmup);
                progress?.Invoke(done);
            }
        }

        // Also reached when the list ends with skipped images, so the count always ends at the list length.
        progress?.Invoke(done);
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

    /// <summary>Lists the batch's bad images in the result and the checkpoint; returns the images it skipped.</summary>
    internal static int ReportSkipped(DecodedBatch batch, DetectionRunResult result, DetectionCheckpoint? checkpoint)
    {
        foreach (var (path, reason) in batch.Bad)
        {
            result.BadImages.Add((path, reason));
            checkpoint?.AppendBad(path, reason);
        }

        return batch.Skipped;
    }

    /// <summary>Adds one run's images and times to the result and the checkpoint; returns the images added.</summary>
    internal static int Record(DetectionRunResult result, DetectionCheckpoint? checkpoint, ImageRef[] refs, (int Width, int Height)[] sizes, List<Detection>[] detections, StageTimes times, bool warmup)
    {
        var added = new ImageDetections[refs.Length];
        for (var b = 0; b < added.Length; b++)
        {
            added[b] = new ImageDetections(refs[b], sizes[b].Width, sizes[b].Height, detections[b].ToArray());
        }

        var record = new BatchRecord(times, added.Length, warmup);
        result.Images.AddRange(added);
        result.Batches.Add(record);
        checkpoint?.Append(record, added);
        return added.Length;
    }

    /// <summary>One reusable detection list per batch slot.</summary>
    internal static List<Detection>[] NewDetectionLists(int batchSize)
    {
        var lists = new List<Detection>[batchSize];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        return lists;
    }
}
