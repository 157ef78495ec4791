using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Accuracy;

/// <summary>
/// Speed of one model's detection pass, from the same runs that produced its detections: per-request latency
/// with the warm-up run excluded, steady-state images per second, and the session settings in force.
/// </summary>
/// <param name="Batch">Images per request.</param>
/// <param name="Settings">ONNX Runtime session settings, e.g. <c>intra=0 inter=0 sequential</c>.</param>
/// <param name="SessionCreationMs">Creating the session of the last (or only) process that ran this pass.</param>
/// <param name="Requests">Steady-state requests measured (warm-ups excluded).</param>
/// <param name="WarmupRequests">Warm-up requests excluded (one per session that contributed: more after a resume).</param>
/// <param name="Inference">Per-request latency of the model call (ONNX Runtime Run) alone.</param>
/// <param name="EndToEnd">Per-request latency of decode + pre-process + Run + post-process.</param>
/// <param name="InferenceImagesPerSecond">Steady-state images/s counting the model call only.</param>
/// <param name="EndToEndImagesPerSecond">Steady-state images/s end to end (images over wall time with the pipelined runner, over summed request times with the sequential one).</param>
/// <param name="StageMeansMs">Mean milliseconds per steady request: decode, pre-process, inference, post-process.</param>
public sealed record LatencyFigures(
    int Batch,
    string Settings,
    double SessionCreationMs,
    int Requests,
    int WarmupRequests,
    LatencySummary Inference,
    LatencySummary EndToEnd,
    double InferenceImagesPerSecond,
    double EndToEndImagesPerSecond,
    IReadOnlyList<double> StageMeansMs)
{
    /// <summary>The figures of a finished pass.</summary>
    public static LatencyFigures From(DetectionRunResult result, int batch, string settings, double sessionCreationMs)
    {
        ArgumentNullException.ThrowIfNull(result);
        var steady = result.SteadyBatches.ToArray();
        double Mean(Func<StageTimes, double> f) => steady.Length == 0 ? double.NaN : steady.Average(b => f(b.Times));
        return new LatencyFigures(
            batch,
            settings,
            sessionCreationMs,
            result.Batches.Count(b => !b.Warmup),
            result.Batches.Count(b => b.Warmup),
            result.Inference,
            result.EndToEnd,
            result.InferenceImagesPerSecond,
            result.EndToEndImagesPerSecond,
            [Mean(t => t.DecodeMs), Mean(t => t.PreprocessMs), Mean(t => t.InferenceMs), Mean(t => t.PostprocessMs)]);
    }
}
