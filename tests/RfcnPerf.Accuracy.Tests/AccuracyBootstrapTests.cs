using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RfcnPerf.Coco;
using RfcnPerf.Statistics;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>
/// The paired bootstrap over images: a replicate is what the evaluator (bit-exact with pycocotools) gives on the
/// resampled dataset written out with the drawn images renumbered in draw order; same seed, same intervals; a real
/// difference is called, none is invented.
/// </summary>
public sealed class AccuracyBootstrapTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("rand_02_crowd_heavy", 1UL)]
    [InlineData("rand_03_ties", 2UL)]
    [InlineData("rand_03_ties", 3UL)]
    public void A_replicate_equals_evaluating_the_resampled_dataset(string name, ulong seed)
    {
        var (gtPath, dtPath) = Case(name);
        var gt = CocoGroundTruth.Load(gtPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(dtPath, gt), maxDegreeOfParallelism: 2);
        evaluator.Evaluate();
        var images = evaluator.EvalImages.ImageIds;
        var rng = new SplitMix64(seed);
        var draw = Enumerable.Range(0, images.Count).Select(_ => rng.NextInt(images.Count)).ToArray();
        var replicate = evaluator.Summarize(evaluator.Accumulate(draw));

        var (rgt, rdt) = WriteResampled(gtPath, dtPath, images, draw, dir.File($"{name}-{seed}"));
        var rgtLoaded = CocoGroundTruth.Load(rgt);
        var fresh = new CocoEvaluator(rgtLoaded, CocoResults.Load(rdt, rgtLoaded), maxDegreeOfParallelism: 1).Run();

        Assert.Equal(fresh.Stats, replicate.Stats);
        Assert.Equal(fresh.PerCategory.Select(c => c.AP), replicate.PerCategory.Select(c => c.AP));

        // For the closing check against pycocotools itself (tools/accuracy-bootstrap-check): keep the files.
        if (Environment.GetEnvironmentVariable("RFCNPERF_BOOTSTRAP_DUMP") is { Length: > 0 } dump)
        {
            var target = Path.Combine(dump, $"{name}-seed{seed}");
            Directory.CreateDirectory(target);
            File.Copy(rgt, Path.Combine(target, "gt.json"), true);
            File.Copy(rdt, Path.Combine(target, "dt.json"), true);
            File.WriteAllText(Path.Combine(target, "replicate.json"), JsonSerializer.Serialize(new { stats = replicate.Stats.Select(s => s.ToString("R", CultureInfo.InvariantCulture)) }));
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_intervals_on_any_thread_count_and_identical_runs_differ_by_nothing()
    {
        var (gtPath, dtPath) = Case("rand_03_ties");
        var gt = CocoGroundTruth.Load(gtPath);
        var a = AccuracyBootstrap.Compute(gt, CocoResults.Load(dtPath, gt), CocoResults.Load(dtPath, gt), threads: 1, replicates: 200, seed: 9);
        var b = AccuracyBootstrap.Compute(gt, CocoResults.Load(dtPath, gt), CocoResults.Load(dtPath, gt), threads: 3, replicates: 200, seed: 9);

        Assert.Equal(a.Stats, b.Stats);
        Assert.All(a.Stats.OfType<DeltaInterval>(), s => Assert.Equal(new DeltaInterval(0, 0, 0, 0, s.Replicates), s));
        Assert.Contains("seed 9", a.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_lost_half_its_detections_is_lower_with_an_interval_below_zero()
    {
        var (gtPath, dtPath) = Case("rand_03_ties");
        var gt = CocoGroundTruth.Load(gtPath);
        var all = JsonNode.Parse(File.ReadAllText(dtPath))!.AsArray();
        var half = new JsonArray([.. all.Where((_, i) => i % 2 == 0).Select(n => n!.DeepClone())]);
        var halfPath = dir.Write("half.json", half.ToJsonString());

        var r = AccuracyBootstrap.Compute(gt, CocoResults.Load(dtPath, gt), CocoResults.Load(halfPath, gt), replicates: 300);
        var onOneThread = AccuracyBootstrap.Compute(gt, CocoResults.Load(dtPath, gt), CocoResults.Load(halfPath, gt), threads: 1, replicates: 300);
        Assert.Equal(onOneThread.Stats, r.Stats);
        Assert.Equal(onOneThread.PerClassAp.OrderBy(p => p.Key), r.PerClassAp.OrderBy(p => p.Key));

        var ap = r.Stats[0]!;
        Assert.True(ap.Delta < 0);
        Assert.InRange(ap.Delta, ap.Lower, ap.Upper);
        Assert.True(ap.Upper < 0, ap.Describe());
        Assert.True(ap.ProbabilityBelowZero > 0.97, ap.Describe());
        Assert.NotEmpty(r.PerClassAp);
        Assert.Equal(10, r.Images);
    }

    [Fact]
    public void The_bootstrap_leaves_the_stats_on_all_images_unchanged_and_its_deltas_are_theirs()
    {
        var (gtPath, dtPath) = Case("real_val2017_subset_synth");
        var gt = CocoGroundTruth.Load(gtPath);
        var all = JsonNode.Parse(File.ReadAllText(dtPath))!.AsArray();
        var thirds = new JsonArray([.. all.Where((_, i) => i % 3 != 0).Select(n => n!.DeepClone())]);
        var fewer = CocoResults.Load(dir.Write("fewer.json", thirds.ToJsonString()), gt);
        var baseline = new CocoEvaluator(gt, CocoResults.Load(dtPath, gt));
        var candidate = new CocoEvaluator(gt, fewer);
        var before = (baseline.Run().Stats.ToArray(), candidate.Run().Stats.ToArray());
        var fresh = (new CocoEvaluator(gt, CocoResults.Load(dtPath, gt)).Run().Stats, new CocoEvaluator(gt, fewer).Run().Stats);

        var r = AccuracyBootstrap.Compute(baseline, candidate, replicates: 100);

        Assert.Equal(before.Item1, baseline.Summarize().Stats);
        Assert.Equal(before.Item2, candidate.Summarize().Stats);
        Assert.Equal(fresh.Item1, before.Item1);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => fresh.Item2[i] - fresh.Item1[i]), r.Stats.Select(s => s!.Delta));
        Assert.All(r.Stats, s => Assert.Equal(100, s!.Replicates));
    }

    private static (string Gt, string Dt) Case(string name) =>
        (Path.Combine(TestPaths.CocoEvalCases, name, "gt.json"), Path.Combine(TestPaths.CocoEvalCases, name, "dt.json"));

    /// <summary>
    /// The dataset a replicate stands for: the drawn images in draw order, renumbered 1..n (a duplicate is a new
    /// image), each with copies of its annotations (new ids) and detections.
    /// </summary>
    internal static (string Gt, string Dt) WriteResampled(string gtPath, string dtPath, IReadOnlyList<long> imageIds, int[] draw, string folder)
    {
        var gt = JsonNode.Parse(File.ReadAllText(gtPath))!.AsObject();
        var dt = JsonNode.Parse(File.ReadAllText(dtPath))!.AsArray();
        var images = gt["images"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<long>());
        var annotations = gt["annotations"]!.AsArray().ToLookup(a => a!["image_id"]!.GetValue<long>());
        var detections = dt.ToLookup(d => d!["image_id"]!.GetValue<long>());
        var newImages = new JsonArray();
        var newAnnotations = new JsonArray();
        var newDetections = new JsonArray();
        var annotationId = 1L;
        for (var j = 0; j < draw.Length; j++)
        {
            var source = imageIds[draw[j]];
            var newId = j + 1;
            var image = images[source]!.DeepClone();
            image["id"] = newId;
            newImages.Add(image);
            foreach (var a in annotations[source])
            {
                var copy = a!.DeepClone();
                copy["id"] = annotationId++;
                copy["image_id"] = newId;
                newAnnotations.Add(copy);
            }

            foreach (var d in detections[source])
            {
                var copy = d!.DeepClone();
                copy["image_id"] = newId;
                newDetections.Add(copy);
            }
        }

        gt["images"] = newImages;
        gt["annotations"] = newAnnotations;
        Directory.CreateDirectory(folder);
        var gtOut = Path.Combine(folder, "gt.json");
        var dtOut = Path.Combine(folder, "dt.json");
        File.WriteAllText(gtOut, gt.ToJsonString());
        File.WriteAllText(dtOut, newDetections.ToJsonString());
        return (gtOut, dtOut);
    }
}
