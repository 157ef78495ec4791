using System.Globalization;
using RfcnPerf.Coco;
using RfcnPerf.Statistics;

namespace RfcnPerf.Accuracy;

/// <summary>
/// Paired bootstrap over images of the difference between two models' COCO stats and per-class APs (hotcoco's
/// approach): each replicate draws the evaluated images with replacement, and both models are re-accumulated over
/// the same draw from their one evaluation's per-(category, image) records (<see cref="CocoEvaluator.Accumulate(ReadOnlySpan{int})"/>:
/// nothing is matched again). A replicate equals what pycocotools gives on the resampled dataset written out with the
/// drawn images renumbered in draw order (duplicates are distinct images). The seed is fixed, so the same files give
/// the same intervals every time; the stats on all images are not touched.
/// </summary>
public static class AccuracyBootstrap
{
    /// <summary>Replicates per comparison.</summary>
    public const int DefaultReplicates = 1000;

    /// <summary>The fixed seed (reports print it).</summary>
    public const ulong DefaultSeed = 20261219;

    /// <summary>The intervals of one pair of runs.</summary>
    /// <param name="Stats">Per stat (12, or 10 for keypoints): its delta with interval, or null where either run has no value (-1).</param>
    /// <param name="PerClassAp">Per category id with ground truth: the AP delta with interval.</param>
    /// <param name="Images">Images resampled.</param>
    /// <param name="Replicates">Replicates drawn.</param>
    /// <param name="Seed">Seed of the draws.</param>
    public sealed record Result(IReadOnlyList<DeltaInterval?> Stats, IReadOnlyDictionary<long, DeltaInterval> PerClassAp, int Images, int Replicates, ulong Seed)
    {
        /// <summary>How it was computed, for reports.</summary>
        public string Method => string.Create(CultureInfo.InvariantCulture,
            $"95% percentile intervals of a paired bootstrap over the {Images} images ({Replicates} replicates, seed {Seed}; both models scored on the same draws)");
    }

    /// <summary>
    /// Runs the bootstrap for <paramref name="candidate"/> against <paramref name="baseline"/>, both evaluated (or
    /// evaluated here) on the same ground truth and parameters. The draws come from the seed in order, the replicates
    /// run on up to <paramref name="threads"/> threads (0: one per core) and are collected in draw order, so the
    /// intervals are the same bits for any thread count. Evaluators built with one thread avoid nesting their own
    /// parallel accumulation inside the replicates'.
    /// </summary>
    public static Result Compute(CocoEvaluator baseline, CocoEvaluator candidate, int replicates = DefaultReplicates, ulong seed = DefaultSeed, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        var a = Evaluated(baseline);
        var b = Evaluated(candidate);
        var images = a.EvalImages.ImageIds;
        if (!images.SequenceEqual(b.EvalImages.ImageIds) || !a.EvalImages.CategoryIds.SequenceEqual(b.EvalImages.CategoryIds))
        {
            throw new ArgumentException("the two evaluations cover different images or categories; a paired bootstrap needs the same ones");
        }

        var fullA = a.Summarize(a.Accumulation ?? a.Accumulate());
        var fullB = b.Summarize(b.Accumulation ?? b.Accumulate());
        var statCount = fullA.Stats.Count;
        var classes = fullA.PerCategory.Select(c => c.CategoryId).ToArray();

        // Every draw first, from the one generator in order: the replicates may then run in any order.
        var rng = new SplitMix64(seed);
        var draws = new int[replicates][];
        for (var r = 0; r < replicates; r++)
        {
            draws[r] = new int[images.Count];
            for (var i = 0; i < images.Count; i++)
            {
                draws[r][i] = rng.NextInt(images.Count);
            }
        }

        // [replicate, figure]; NaN where a figure is undefined in that draw (pycocotools' -1: no ground truth of that
        // area or class among the drawn images).
        var statDeltas = new double[replicates, statCount];
        var classDeltas = new double[replicates, classes.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, replicates, options, () => new Reused(), (r, _, reused) =>
        {
            reused.A = a.Accumulate(draws[r], reused.A);
            reused.B = b.Accumulate(draws[r], reused.B);
            var sa = a.Summarize(reused.A);
            var sb = b.Summarize(reused.B);
            for (var s = 0; s < statCount; s++)
            {
                statDeltas[r, s] = Delta(sa.Stats[s], sb.Stats[s]);
            }

            for (var k = 0; k < classes.Length; k++)
            {
                classDeltas[r, k] = Delta(sa.PerCategory[k].AP, sb.PerCategory[k].AP);
            }

            return reused;
        }, _ => { });

        var stats = Enumerable.Range(0, statCount)
            .Select(s => fullA.Stats[s] >= 0 && fullB.Stats[s] >= 0 ? Interval(fullB.Stats[s] - fullA.Stats[s], Column(statDeltas, s)) : null)
            .ToArray();
        var perClass = new Dictionary<long, DeltaInterval>();
        for (var k = 0; k < classes.Length; k++)
        {
            if (fullA.PerCategory[k].AP >= 0 && fullB.PerCategory[k].AP >= 0 && Interval(fullB.PerCategory[k].AP - fullA.PerCategory[k].AP, Column(classDeltas, k)) is { } interval)
            {
                perClass[classes[k]] = interval;
            }
        }

        return new Result(stats, perClass, images.Count, replicates, seed);
    }

    /// <summary>
    /// Evaluates <paramref name="baselineResults"/> and <paramref name="candidateResults"/> (bbox, default parameters,
    /// restricted to <paramref name="imageIds"/> when given, as <c>eval run</c> scores them) and runs the bootstrap.
    /// </summary>
    public static Result Compute(CocoGroundTruth groundTruth, CocoResults baselineResults, CocoResults candidateResults, IReadOnlyList<long>? imageIds = null, int threads = 0, int replicates = DefaultReplicates, ulong seed = DefaultSeed)
    {
        CocoEvaluator Evaluate(CocoResults results)
        {
            var parameters = new CocoEvalParams();
            if (imageIds is not null)
            {
                parameters.ImgIds = imageIds;
            }

            // One thread per evaluator: the parallelism is over replicates (see the other overload).
            var evaluator = new CocoEvaluator(groundTruth, results, parameters, maxDegreeOfParallelism: 1);
            evaluator.Evaluate();
            evaluator.Accumulate();
            return evaluator;
        }

        return Compute(Evaluate(baselineResults), Evaluate(candidateResults), replicates, seed, threads);
    }

    private static CocoEvaluator Evaluated(CocoEvaluator e)
    {
        _ = e.EvalImages;
        return e;
    }

    // One thread's accumulation arrays, written again by each of its replicates (allocating them costs more than filling them).
    private sealed class Reused
    {
        public CocoAccumulation? A { get; set; }

        public CocoAccumulation? B { get; set; }
    }

    private static double Delta(double baseline, double candidate) => baseline >= 0 && candidate >= 0 ? candidate - baseline : double.NaN;

    private static List<double> Column(double[,] values, int column)
    {
        var kept = new List<double>(values.GetLength(0));
        for (var r = 0; r < values.GetLength(0); r++)
        {
            if (!double.IsNaN(values[r, column]))
            {
                kept.Add(values[r, column]);
            }
        }

        return kept;
    }

    private static DeltaInterval? Interval(double delta, List<double> replicateDeltas)
    {
        if (replicateDeltas.Count == 0)
        {
            return null;
        }

        var below = replicateDeltas.Count(d => d < 0) / (double)replicateDeltas.Count;
        return new DeltaInterval(delta, Percentiles.Linear(replicateDeltas, 2.5), Percentiles.Linear(replicateDeltas, 97.5), below, replicateDeltas.Count);
    }
}
