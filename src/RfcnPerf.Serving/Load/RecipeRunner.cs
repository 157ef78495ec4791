using System.Diagnostics;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Serving.Load;

/// <summary>One scenario to run: images per request, unmeasured requests first, measured requests.</summary>
internal sealed record RecipePlan(int Batch, int Warmup, int Requests);

/// <summary>One scenario of the recipe: served and in-process samples of the same requests, alternated.</summary>
internal sealed record RecipeScenario(string Name, int Batch, int Warmup, double[] ServedMs, double[] InProcessMs, IReadOnlyDictionary<string, int> ServedErrors)
{
    public double ServedP50 => P(ServedMs, 50);

    public double InProcessP50 => P(InProcessMs, 50);

    public double ServedMean => ServedMs.Length > 0 ? ServedMs.Average() : double.NaN;

    public double InProcessMean => InProcessMs.Length > 0 ? InProcessMs.Average() : double.NaN;

    /// <summary>Images per second from the mean request time.</summary>
    public double ServedImagesPerSecond => Batch * 1000 / ServedMean;

    public double InProcessImagesPerSecond => Batch * 1000 / InProcessMean;

    /// <summary>Served p50 over in-process p50.</summary>
    public double P50Ratio => ServedP50 / InProcessP50;

    private static double P(double[] samples, double percent)
    {
        var sorted = samples.Order().ToArray();
        return LatencySummary.Percentile(sorted, percent);
    }
}

/// <summary>
/// The recipe's two scenarios (batch 1: 10 warm-up + 20 measured requests; batch 128: 2 + 10) against a
/// server, each request alternated with the same request run in-process through the same
/// <see cref="DetectionPipeline"/> (decode, pre-process, inference, post-process; same model file and session
/// settings), so both see the same machine load.
/// </summary>
internal static class RecipeRunner
{
    /// <summary>The recipe's real-time scenario: batch 1, 10 warm-up and 20 measured requests.</summary>
    public static readonly RecipePlan RealTime = new(1, 10, 20);

    /// <summary>The recipe's throughput scenario at batch 128: 2 warm-up and 10 measured requests.</summary>
    public static readonly RecipePlan Throughput = new(128, 2, 10);

    /// <summary>
    /// The scenarios to run: batch 1 and batch <paramref name="bigBatch"/> with the recipe's counts, unless
    /// <paramref name="warmup"/> / <paramref name="requests"/> are given (then for both); one scenario when the batch is 1.
    /// </summary>
    public static IReadOnlyList<RecipePlan> Plan(int bigBatch, int? requests, int? warmup) =>
        new[] { RealTime, Throughput with { Batch = bigBatch } }
            .DistinctBy(s => s.Batch)
            .Select(s => new RecipePlan(s.Batch, warmup ?? s.Warmup, requests ?? s.Requests))
            .ToArray();

    public static async Task<RecipeScenario> RunAsync(LoadOptions options, string modelPath, SessionSettings settings, int warmup, int requests, Action<string>? log = null)
    {
        using var client = new LoadClient(options with { Warmup = 0 });
        using var session = DetectorSession.Open(modelPath, settings, options.Batch);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        var groups = Enumerable.Range(0, client.Count)
            .Select(g => Enumerable.Range(0, options.Batch).Select(i => options.Images[((g * options.Batch) + i) % options.Images.Count]).ToArray())
            .ToArray();
        var served = new List<double>();
        var local = new List<double>();
        var errors = new Dictionary<string, int>();
        for (var r = 0; r < warmup + requests; r++)
        {
            var start = Stopwatch.GetTimestamp();
            var error = await client.SendAsync(r, CancellationToken.None).ConfigureAwait(false);
            var servedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var localMs = InProcess(pipeline, groups[r % groups.Length]);
            if (r < warmup)
            {
                continue;
            }

            if (error is null)
            {
                served.Add(servedMs);
            }
            else
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }

            local.Add(localMs);
            log?.Invoke($"  batch {options.Batch} request {r - warmup + 1}/{requests}: served {servedMs:F1} ms{(error is null ? string.Empty : " (" + error + ")")}, in-process {localMs:F1} ms");
        }

        return new RecipeScenario(options.Batch == 1 ? "real-time (batch 1)" : $"throughput (batch {options.Batch})", options.Batch, warmup, served.ToArray(), local.ToArray(), errors);
    }

    /// <summary>One request in-process, end to end: decode the files, then the pipeline's Detect.</summary>
    private static double InProcess(DetectionPipeline pipeline, string[] files)
    {
        var start = Stopwatch.GetTimestamp();
        var images = files.Select(ImageDecoder.Decode).ToArray();
        try
        {
            pipeline.Detect(images);
        }
        finally
        {
            ImageJson.Dispose(images);
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
