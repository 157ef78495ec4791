using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Core.Inference;

/// <summary>
/// Model-call latency of several models compared with the first, each pair measured by the
/// <see cref="InterleavedRunner"/> (alternating blocks in one process), plus the first model against a second
/// session of itself: the run's A/A noise check, whose verdict should be "same".
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
    /// <paramref name="imagePath"/> through its family's pre-processing, then runs the A/A check and each comparison
    /// with the first model (the k-th comparison seeded with the options' seed + k, or its own drawn seed).
    /// <paramref name="progress"/> hears which comparison runs and each measured round.
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

            ComparisonSide Side(int i, string name) => ComparisonSide.Of(name, () => sessions[i].Default.Run());
            var results = new List<Result>();
            for (var k = 0; k < models.Count; k++)
            {
                // sessions[0] is the first model's twin: the A/A pair compares it with sessions[1].
                var b = Side(k + 1, k == 0 ? models[0] + " (second session)" : models[k]);
                var a = Side(0, models[0]);
                var label = k == 0 ? "A/A noise check" : Path.GetFileName(models[k]);
                // Each comparison draws its own round orders: the k-th uses the given seed + k.
                var r = InterleavedRunner.Run(a, b, options with { Seed = options.Seed + (ulong)k }, (round, _) => progress?.Invoke(label, round));
                results.Add(new Result(models[k], LatencySummary.FromRuns(r.BRequestMs.Select(ms => (ms, false))), r));
            }

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
