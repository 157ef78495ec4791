using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// End-to-end throughput against the model call on one session, the three kinds of pass measured in one run of the
/// <see cref="InterleavedRunner"/> and each end-to-end pass paired with the model call: the model call alone once per image on a prepared input (A), against
/// the images through the sequential runner (every stage in series) and through the pipelined runner (decode and
/// pre-process of the next image overlapping the model call). One request is one pass over the images, timed
/// whole, so its per-image time includes filling the pipeline. The kept shares are A/B from the paired rounds.
/// </summary>
public static class EndToEndSpeed
{
    /// <summary>One model's result; latencies are milliseconds per image, one sample per pass.</summary>
    /// <param name="ModelCall">The model call alone.</param>
    /// <param name="Sequential">JPEG to detections, every stage in series.</param>
    /// <param name="Pipelined">JPEG to detections, decode and pre-process overlapping the model call.</param>
    /// <param name="SequentialVsCall">Sequential pass time per image / model-call time per image, paired.</param>
    /// <param name="PipelinedVsCall">Pipelined pass time per image / model-call time per image, paired.</param>
    public sealed record Result(LatencySummary ModelCall, LatencySummary Sequential, LatencySummary Pipelined, ComparisonResult SequentialVsCall, ComparisonResult PipelinedVsCall)
    {
        /// <summary>Share of model-call images/s kept end to end, sequential runner (1 / the ratio).</summary>
        public double KeptSequential => 1 / SequentialVsCall.Ratio.Ratio;

        /// <summary>Share kept by the pipelined runner.</summary>
        public double KeptPipelined => 1 / PipelinedVsCall.Ratio.Ratio;
    }

    /// <summary>
    /// Opens <paramref name="model"/> (batch 1) with <paramref name="settings"/>, runs one unmeasured pass of each
    /// kind (the session's first call, JPEGs into the page cache), then the interleaved run.
    /// </summary>
    public static Result Measure(string model, IReadOnlyList<ImageRef> images, SessionSettings settings, ComparisonOptions options, Action<string, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Count, 1);
        using var session = DetectorSession.Open(model, settings);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var runner = new PipelinedDetectionRunner(pipeline);
        var call = ComparisonSide.Of("model call", () =>
        {
            for (var i = 0; i < images.Count; i++)
            {
                session.Default.Run();
            }
        }, images.Count);
        var sequential = ComparisonSide.Of("sequential runner", () => DetectionRunner.Run(pipeline, images), images.Count);
        var pipelined = ComparisonSide.Of("pipelined runner", () => runner.Run(images), images.Count);

        // Loaded before timing: the first pass also runs the session's first call and reads the JPEGs.
        DetectionRunner.Run(pipeline, images);
        runner.Run(images);
        var run = InterleavedRunner.RunAll([call, sequential, pipelined], [(0, 1), (0, 2)], options, (round, _) => progress?.Invoke("passes", round));
        var seq = run.Pair(0, 1);
        var pipe = run.Pair(0, 2);
        LatencySummary Summary(IReadOnlyList<double> msPerPass) => LatencySummary.FromRuns(msPerPass.Select(x => (x / images.Count, false)));
        return new Result(Summary(seq.ARequestMs), Summary(seq.BRequestMs), Summary(pipe.BRequestMs), seq, pipe);
    }
}
