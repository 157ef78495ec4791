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
            $"paired bootstrap over the {Images} images: {Replicates} replicates (seed {Seed}), each re-accumulating both models over the same draw; 95% percentile interval");
    }

    /// <summary>
    /// Runs the bootstrap for <paramref name="candidate"/> against <paramref name="baseline"/>, both evaluated (or
    /// evaluated here) on the same ground truth and parameters.
    /// </summary>
    public static Result Compute(CocoEvaluator baseline, CocoEvaluator candidate, int replicates = DefaultReplicates, ulong seed = DefaultSeed)
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
        var statDeltas = Enumerable.Range(0, statCount).Select(_ => new List<double>(replicates)).ToArray();
        var classes = fullA.PerCategory.Select(c => c.CategoryId).ToArray();
        var classDeltas = classes.ToDictionary(c => c, _ => new List<double>(replicates));
        var rng = new SplitMix64(seed);
        var draw = new int[images.Count];
        for (var r = 0; r < replicates; r++)
        {
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = rng.NextInt(draw.Length);
            }

            var sa = a.Summarize(a.Accumulate(draw));
            var sb = b.Summarize(b.Accumulate(draw));
            for (var s = 0; s < statCount; s++)
            {
                // pycocotools' -1: no ground truth of that area in the draw; the difference is undefined there.
                if (sa.Stats[s] >= 0 && sb.Stats[s] >= 0)
                {
                    statDeltas[s].Add(sb.Stats[s] - sa.Stats[s]);
                }
            }

            for (var k = 0; k < classes.Length; k++)
            {
                if (sa.PerCategory[k].AP >= 0 && sb.PerCategory[k].AP >= 0)
                {
                    classDeltas[classes[k]].Add(sb.PerCategory[k].AP - sa.PerCategory[k].AP);
                }
            }
        }

        var stats = Enumerable.Range(0, statCount)
            .Select(s => fullA.Stats[s] >= 0 && fullB.Stats[s] >= 0 ? Interval(fullB.Stats[s] - fullA.Stats[s], statDeltas[s]) : null)
            .ToArray();
        var perClass = new Dictionary<long, DeltaInterval>();
        for (var k = 0; k < classes.Length; k++)
        {
            if (fullA.PerCategory[k].AP >= 0 && fullB.PerCategory[k].AP >= 0 && Interval(fullB.PerCategory[k].AP - fullA.PerCategory[k].AP, classDeltas[classes[k]]) is { } interval)
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

            var evaluator = new CocoEvaluator(groundTruth, results, parameters, threads);
            evaluator.Evaluate();
            evaluator.Accumulate();
            return evaluator;
        }

        return Compute(Evaluate(baselineResults), Evaluate(candidateResults), replicates, seed);
    }

    private static CocoEvaluator Evaluated(CocoEvaluator e)
    {
        _ = e.EvalImages;
        return e;
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
