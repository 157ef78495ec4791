namespace RfcnPerf.Core.Pipeline;

/// <summary>Everything one pass over an image list produced: detections, per-batch stage times, skipped files.</summary>
public sealed class DetectionRunResult
{
    /// <summary>Per-image detections, in image-list order.</summary>
    public List<ImageDetections> Images { get; } = [];

    /// <summary>Every run in order; a resumed pass has one warm-up run per session that contributed.</summary>
    public List<BatchRecord> Batches { get; } = [];

    /// <summary>Images that could not be decoded (only with skip-bad-images), with the reason.</summary>
    public List<(string Path, string Reason)> BadImages { get; } = [];

    /// <summary>Wall time of this pass (a resumed pass counts only its own part).</summary>
    public TimeSpan WallTime { get; set; }

    /// <summary>Per-request inference latency (Run only).</summary>
    public LatencySummary Inference => LatencySummary.FromRuns(Batches.Select(b => (b.Times.InferenceMs, b.Warmup)));

    /// <summary>
    /// Wall time of the steady batches when a <see cref="PipelinedDetectionRunner"/> produced this result (its
    /// stages overlap, so their sum is work, not elapsed time); null for the sequential runner.
    /// </summary>
    public TimeSpan? PipelinedSteadyTime { get; set; }

    /// <summary>Images of the steady batches timed by <see cref="PipelinedSteadyTime"/>.</summary>
    public int PipelinedSteadyImages { get; set; }

    /// <summary>
    /// Per-request work end to end (decode + pre-process + Run + post-process); with the sequential runner this is
    /// the request's latency.
    /// </summary>
    public LatencySummary EndToEnd => LatencySummary.FromRuns(Batches.Select(b => (b.Times.TotalMs, b.Warmup)));

    /// <summary>Steady-state images per second counting inference only (warm-up runs excluded).</summary>
    public double InferenceImagesPerSecond => Throughput(t => t.InferenceMs);

    /// <summary>
    /// Steady-state images per second end to end (warm-up runs excluded): images over wall time for a pipelined
    /// pass, images over the summed stage times for a sequential one.
    /// </summary>
    public double EndToEndImagesPerSecond => PipelinedSteadyTime is { } wall && PipelinedSteadyImages > 0
        ? PipelinedSteadyImages / wall.TotalSeconds
        : Throughput(t => t.TotalMs);

    /// <summary>The steady-state runs (all runs when every run was a warm-up).</summary>
    public IEnumerable<BatchRecord> SteadyBatches => Batches.Any(b => !b.Warmup) ? Batches.Where(b => !b.Warmup) : Batches;

    private double Throughput(Func<StageTimes, double> select)
    {
        var ms = SteadyBatches.Sum(b => select(b.Times));
        var images = SteadyBatches.Sum(b => b.Images);
        return ms > 0 ? images / (ms / 1000.0) : double.NaN;
    }
}
