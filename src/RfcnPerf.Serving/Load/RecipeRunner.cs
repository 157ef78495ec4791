using System.Globalization;
using System.Text.Json.Serialization;
using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Statistics;

namespace RfcnPerf.Serving.Load;

/// <summary>One scenario to run: images per request, unmeasured requests first, measured requests.</summary>
internal sealed record RecipePlan(int Batch, int Warmup, int Requests);

/// <summary>One scenario of the recipe: served and in-process samples of the same requests, in interleaved blocks.</summary>
internal sealed record RecipeScenario(string Name, int Batch, int Warmup, double[] ServedMs, double[] InProcessMs, IReadOnlyDictionary<string, int> ServedErrors,
    [property: JsonIgnore] ComparisonResult Comparison)
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

    /// <summary>Served / in-process time, paired over rounds, with its interval, verdict, rounds, seed and why it stopped.</summary>
    public object PairedRatio => new
    {
        ratio = Comparison.Ratio.Ratio,
        lower = Comparison.Ratio.Lower,
        upper = Comparison.Ratio.Upper,
        verdict = Comparison.Ratio.Verdict.Word(),
        threshold = Comparison.Threshold,
        rounds = Comparison.Rounds.Count,
        blockRequests = Comparison.Conditions.BlockRequests,
        seed = Comparison.Conditions.Seed.ToString(CultureInfo.InvariantCulture),
        stopped = Comparison.StopText(),
        method = Comparison.Ratio.Method,
        noise = Comparison.Conditions.Noise.Describe(),
        noiseFlag = Comparison.Conditions.Noise.FlagText(),
    };

    private static double P(double[] samples, double percent) => LatencySummary.Percentile(samples, percent);
}

/// <summary>
/// The recipe's two scenarios (batch 1: 10 warm-up + 20 measured requests; batch 128: 2 + 10) against a
/// server, the served requests and the same requests run in-process through the same
/// <see cref="DetectionPipeline"/> (decode, pre-process, inference, post-process; same model file and session
/// settings) measured by the <see cref="InterleavedRunner"/>: blocks of 5 requests a side, the order of each
/// round drawn from a seed, so both see the same machine load. Counts are rounded up to whole blocks.
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
        var errors = new Dictionary<string, int>();
        int sent = 0, local = 0;

        // A served request blocks its (pool) thread until the reply: the runner times requests one after another.
        var served = new ComparisonSide("served", () =>
        {
            var error = client.SendAsync(sent++, CancellationToken.None).GetAwaiter().GetResult();
            if (error is not null)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }

            return error is null;
        }, options.Batch);
        var inProcess = ComparisonSide.Of("in-process", () => InProcess(pipeline, groups[local++ % groups.Length]), options.Batch);
        var block = ComparisonOptions.MinBlockRequests;
        var comparison = new ComparisonOptions
        {
            BlockRequests = block,
            WarmupRounds = (warmup + block - 1) / block,
            FixedRounds = Math.Max(1, (requests + block - 1) / block),
            TimeCap = TimeSpan.MaxValue,
        };
        var result = await Task.Run(() => InterleavedRunner.Run(inProcess, served, comparison, (round, _) =>
            log?.Invoke($"  batch {options.Batch} round {round}/{comparison.FixedRounds}: {block} served and {block} in-process requests"))).ConfigureAwait(false);
        return new RecipeScenario(options.Batch == 1 ? "real-time (batch 1)" : $"throughput (batch {options.Batch})", options.Batch, result.Conditions.WarmupRequests,
            [.. result.BRequestMs], [.. result.ARequestMs], errors, result);
    }

    /// <summary>One request in-process, end to end: decode the files, then the pipeline's Detect.</summary>
    private static void InProcess(DetectionPipeline pipeline, string[] files)
    {
        var images = files.Select(ImageDecoder.Decode).ToArray();
        try
        {
            pipeline.Detect(images);
        }
        finally
        {
            ImageJson.Dispose(images);
        }
    }
}
