using System.Diagnostics;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// End-to-end throughput against the model call on one session, the three passes alternating within every
/// round (their order rotating), so a shared machine's drift hits them alike: the model call alone once per
/// image on a prepared input, the images through the sequential runner (every stage in series), and through
/// the pipelined runner (decode and pre-process of the next image overlapping the model call). Each pass is
/// timed whole, so its per-image time includes filling the pipeline. The kept shares are medians of the
/// per-round ratios (paired within a round), not ratios of medians.
/// </summary>
public static class EndToEndSpeed
{
    /// <summary>One model's result; times are milliseconds per image, one sample per measured round.</summary>
    /// <param name="ModelCall">The model call alone.</param>
    /// <param name="Sequential">JPEG to detections, every stage in series.</param>
    /// <param name="Pipelined">JPEG to detections, decode and pre-process overlapping the model call.</param>
    /// <param name="KeptSequential">Median over rounds of model-call time / sequential time (share of model-call images/s kept).</param>
    /// <param name="KeptPipelined">Median over rounds of model-call time / pipelined time.</param>
    public sealed record Result(LatencySummary ModelCall, LatencySummary Sequential, LatencySummary Pipelined, double KeptSequential, double KeptPipelined);

    /// <summary>
    /// Opens <paramref name="model"/> (batch 1) with <paramref name="settings"/>, runs <paramref name="warmup"/>
    /// unmeasured rounds then <paramref name="rounds"/> measured ones over <paramref name="images"/>.
    /// </summary>
    public static Result Measure(string model, IReadOnlyList<ImageRef> images, SessionSettings settings, int rounds, int warmup = 1, Action<int, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Count, 1);
        using var session = DetectorSession.Open(model, settings);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var runner = new PipelinedDetectionRunner(pipeline);
        var passes = new Func<int>[]
        {
            () =>
            {
                for (var i = 0; i < images.Count; i++)
                {
                    session.Default.Run();
                }

                return images.Count;
            },
            () => DetectionRunner.Run(pipeline, images).Images.Count,
            () => runner.Run(images).Images.Count,
        };

        // The first pass also runs the session's first (warm-up) call and reads the JPEGs into the page cache.
        DetectionRunner.Run(pipeline, images);
        var samples = passes.Select(_ => new List<double>(rounds)).ToArray();
        for (var round = 0; round < warmup + rounds; round++)
        {
            for (var k = 0; k < passes.Length; k++)
            {
                var p = (round + k) % passes.Length;
                var start = Stopwatch.GetTimestamp();
                var done = passes[p]();
                var msPerImage = Stopwatch.GetElapsedTime(start).TotalMilliseconds / done;
                if (round >= warmup)
                {
                    samples[p].Add(msPerImage);
                }
            }

            progress?.Invoke(round + 1, warmup + rounds);
        }

        double Kept(List<double> endToEnd)
        {
            var ratios = samples[0].Zip(endToEnd, (call, e2e) => call / e2e).Order().ToList();
            return LatencySummary.Percentile(ratios, 50);
        }

        // Every measured round counts (the warm-up rounds were never recorded).
        static LatencySummary Summary(List<double> ms) => LatencySummary.FromRuns(ms.Select(x => (x, false)));
        return new Result(Summary(samples[0]), Summary(samples[1]), Summary(samples[2]), Kept(samples[1]), Kept(samples[2]));
    }
}
