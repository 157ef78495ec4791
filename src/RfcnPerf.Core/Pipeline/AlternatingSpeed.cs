using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Model-call latency of several models compared with the first, all measured in one run of the
/// <see cref="InterleavedRunner"/> (blocks in one process, every model each round), with a second session of the
/// first model as the base of every ratio: the first model against it is the run's A/A noise check, whose verdict
/// should be "same".
/// </summary>
public static class AlternatingSpeed
{
    /// <summary>One model's result.</summary>
    /// <param name="Model">Path as given.</param>
    /// <param name="Latency">Run() latency over its measured requests (warm-up excluded).</param>
    /// <param name="VsFirst">This model (B) against the first (A); for the first model, the A/A noise check.</param>
    public sealed record Result(string Model, LatencySummary Latency, ComparisonResult VsFirst);

    /// <summary>
    /// Opens every model (batch 1) and a second session of the first, fills each input with
    /// <paramref name="imagePath"/> through its family's pre-processing, then measures them all in one interleaved run
    /// that stops once every model's ratio to the base is narrow enough. <paramref name="progress"/> hears each round.
    /// </summary>
    public static IReadOnlyList<Result> Measure(IReadOnlyList<string> models, string imagePath, SessionSettings settings, ComparisonOptions options, Action<string, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models.Count, 1);
        var sessions = new List<DetectorSession>();
        try
        {
            // Every session is loaded and its input filled before anything is timed.
            foreach (var m in models.Prepend(models[0]))
            {
                sessions.Add(DetectorSession.Open(m, settings));
            }

            using (var image = ImageDecoder.Decode(imagePath))
            {
                foreach (var s in sessions)
                {
                    Fill(s.Default, image);
                }
            }

            // One interleaved run: sessions[0] is the first model's twin (the base of every ratio), sessions[1] the first
            // model (its pair with the twin is the A/A check), then the others.
            var sides = sessions.Select((session, i) => ComparisonSide.Of(i == 0 ? models[0] + " (second session)" : models[i - 1], () => session.Default.Run())).ToList();
            var questions = Enumerable.Range(1, models.Count).Select(k => (0, k)).ToList();
            var run = InterleavedRunner.RunAll(sides, questions, options, (round, _) => progress?.Invoke(models.Count == 1 ? "A/A noise check" : "all models", round));
            var results = models.Select((m, k) =>
            {
                var r = run.Pair(0, k + 1);
                return new Result(m, LatencySummary.FromRuns(r.BRequestMs.Select(ms => (ms, false))), r);
            }).ToList();
            return results;
        }
        finally
        {
            for (var i = sessions.Count - 1; i >= 0; i--)
            {
                sessions[i].Dispose();
            }
        }
    }

    private static void Fill(DetectorStream stream, DecodedImage image)
    {
        if (stream.Head.Preprocess.Layout != TensorLayout.NchwFloat)
        {
            Preprocessor.WriteNhwcBytes(image, stream.PrepareImageInput(image.Width, image.Height));
            return;
        }

        using var pre = new Preprocessor(stream.Head.Preprocess);
        pre.WriteNchw(image, stream.InputSlot(0));
    }
}
