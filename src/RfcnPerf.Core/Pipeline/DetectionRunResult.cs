namespace RfcnPerf.Core.Pipeline;

/// <summary>Everything one pass over an image list produced: detections, per-batch stage times, skipped files.</summary>
public sealed class DetectionRunResult
{
    /// <summary>Per-image detections, in image-list order.</summary>
    public List<ImageDetections> Images { get; } = [];

    /// <summary>Stage times per batch, in run order (the first batch is the warm-up).</summary>
    public List<StageTimes> Batches { get; } = [];

    /// <summary>Images per batch, aligned with <see cref="Batches"/>.</summary>
    public List<int> BatchImageCounts { get; } = [];

    /// <summary>Images that could not be decoded (only with skip-bad-images), with the reason.</summary>
    public List<(string Path, string Reason)> BadImages { get; } = [];

    /// <summary>Wall time of the whole pass, decoding and writing nothing else.</summary>
    public TimeSpan WallTime { get; set; }

    /// <summary>Per-request inference latency (Run only).</summary>
    public LatencySummary Inference => LatencySummary.FromSamples(Batches.Select(b => b.InferenceMs).ToArray());

    /// <summary>Per-request end-to-end latency (decode + pre-process + Run + post-process).</summary>
    public LatencySummary EndToEnd => LatencySummary.FromSamples(Batches.Select(b => b.TotalMs).ToArray());

    /// <summary>Steady-state images per second counting inference only (first batch excluded).</summary>
    public double InferenceImagesPerSecond => Throughput(b => b.InferenceMs);

    /// <summary>Steady-state images per second end to end (first batch excluded).</summary>
    public double EndToEndImagesPerSecond => Throughput(b => b.TotalMs);

    private double Throughput(Func<StageTimes, double> select)
    {
        var skip = Batches.Count > 1 ? 1 : 0;
        var ms = Batches.Skip(skip).Sum(select);
        var images = BatchImageCounts.Skip(skip).Sum();
        return ms > 0 ? images / (ms / 1000.0) : double.NaN;
    }
}
