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
    /// <paramref name="progress"/> receives the number of images done after every batch.
    /// </summary>
    public static DetectionRunResult Run(DetectionPipeline pipeline, IReadOnlyList<ImageRef> images, bool skipBadImages = false, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new DetectionRunResult();
        var wall = Stopwatch.StartNew();
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
                var start = Stopwatch.GetTimestamp();
                DecodedImage decoded;
                try
                {
                    decoded = ImageDecoder.Decode(image.Path);
                }
                catch (RfcnPerfException ex) when (skipBadImages)
                {
                    result.BadImages.Add((image.Path, ex.Message));
                    done++;
                    continue;
                }

                decodeMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                batch.Add(decoded);
                refs.Add(image);
                if (batch.Count == pipeline.BatchSize)
                {
                    done += Flush(pipeline, batch, refs, detections, decodeMs, result);
                    decodeMs = 0;
                    progress?.Invoke(done);
                }
            }

            if (batch.Count > 0)
            {
                done += Flush(pipeline, batch, refs, detections, decodeMs, result);
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

        result.WallTime = wall.Elapsed;
        return result;
    }

    private static int Flush(DetectionPipeline pipeline, List<DecodedImage> batch, List<ImageRef> refs, List<Detection>[] detections, double decodeMs, DetectionRunResult result)
    {
        var prepareMs = pipeline.Prepare(batch);
        var inferMs = pipeline.Infer();
        var start = Stopwatch.GetTimestamp();
        pipeline.Decode(batch.Count, detections);
        var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        for (var b = 0; b < batch.Count; b++)
        {
            result.Images.Add(new ImageDetections(refs[b], batch[b].Width, batch[b].Height, detections[b].ToArray()));
        }

        result.Batches.Add(new StageTimes(decodeMs, prepareMs, inferMs, postMs));
        result.BatchImageCounts.Add(batch.Count);
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
