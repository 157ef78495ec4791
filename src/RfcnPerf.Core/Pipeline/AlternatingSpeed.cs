using System.Diagnostics;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Model-call latency of several models measured in one process, alternating one run of each per round (the
/// first model rotating each round), so a shared machine's load changes hit every model alike and only the
/// ratios within the run are compared (docs/BENCHMARKING.md).
/// </summary>
public static class AlternatingSpeed
{
    /// <summary>One model's result.</summary>
    /// <param name="Model">Path as given.</param>
    /// <param name="Latency">Run() latency over the measured rounds (warm-up excluded).</param>
    public sealed record Result(string Model, LatencySummary Latency);

    /// <summary>
    /// Opens every model (batch 1), fills each input with <paramref name="imagePath"/> through its family's
    /// pre-processing, runs <paramref name="warmup"/> unmeasured rounds then <paramref name="rounds"/> measured ones.
    /// </summary>
    public static IReadOnlyList<Result> Measure(IReadOnlyList<string> models, string imagePath, SessionSettings settings, int rounds, int warmup = 3, Action<int, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var sessions = new List<DetectorSession>();
        try
        {
            foreach (var m in models)
            {
                sessions.Add(DetectorSession.Open(m, settings));
            }

            using (var image = ImageDecoder.Decode(imagePath))
            {
                foreach (var s in sessions)
                {
                    if (s.Family == Models.ModelFamily.TfOdApi)
                    {
                        Preprocessor.WriteNhwcBytes(image, s.Default.PrepareImageInput(image.Width, image.Height));
                    }
                    else
                    {
                        using var pre = new Preprocessor(s.Default.Head.Preprocess);
                        pre.WriteNchw(image, s.Default.InputSlot(0));
                    }
                }
            }

            var samples = sessions.Select(_ => new List<double>(rounds)).ToArray();
            for (var round = 0; round < warmup + rounds; round++)
            {
                for (var k = 0; k < sessions.Count; k++)
                {
                    var i = (round + k) % sessions.Count;
                    var start = Stopwatch.GetTimestamp();
                    sessions[i].Default.Run();
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (round >= warmup)
                    {
                        samples[i].Add(ms);
                    }
                }

                progress?.Invoke(round + 1, warmup + rounds);
            }

            return models.Select((m, i) => new Result(m, LatencySummary.FromSamples(samples[i]))).ToList();
        }
        finally
        {
            for (var i = sessions.Count - 1; i >= 0; i--)
            {
                sessions[i].Dispose();
            }
        }
    }
}
