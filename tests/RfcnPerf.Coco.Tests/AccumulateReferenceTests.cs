namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The fast accumulate (one sort per category, searchsorted by tp count, reuse across maxDets) against a
/// literal transcription of pycocotools' accumulate loop over the same evaluate() output, with parameters the
/// golden cases do not use: unsorted recall thresholds, repeated and zero maxDets, odd IoU thresholds.
/// </summary>
public sealed class AccumulateReferenceTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "rand_03_ties", 0 },
        { "rand_04_many_dets", 1 },
        { "rand_02_crowd_heavy", 2 },
        { "real_val2017_subset_synth", 0 },
        { "over_100_dets_per_image", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_accumulate_equals_the_literal_loop(string name, int variant)
    {
        var golden = GoldenCase.Load(name);
        var p = new CocoEvalParams();
        switch (variant)
        {
            case 1:
                p.RecThrs = [0.5, 0.1, 0.9, 0.0, 1.0, 0.35000000000000003, 0.2];
                p.MaxDets = [5, 0, 5, 100, 2];
                break;
            case 2:
                p.IouThrs = [0.3, 0.5, 1.0, 0.75];
                p.MaxDets = [1, 3, 10, 50, 100, 1000];
                break;
        }

        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), p, 2);
        evaluator.Evaluate();
        var acc = evaluator.Accumulate();
        var (precision, recall) = Reference(evaluator.Evaluated!);

        BitAssert.Equal(precision, acc.Precision, $"{name} precision");
        BitAssert.Equal(recall, acc.Recall, $"{name} recall");
    }

    [Theory]
    [InlineData("rand_03_ties", 11)]
    [InlineData("real_val2017_subset_synth", 12)]
    [InlineData("rand_02_crowd_heavy", 13)]
    public void Accumulate_over_a_resample_of_images_equals_the_literal_loop(string name, int seed)
    {
        // A bootstrap replicate: images drawn with replacement, their lists concatenated in draw order.
        var golden = GoldenCase.Load(name);
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 2);
        evaluator.Evaluate();
        int images = evaluator.EvalImages.ImageIds.Count;
        var random = new Random(seed);
        int[] sample = [.. Enumerable.Range(0, images).Select(_ => random.Next(images))];
        var acc = evaluator.Accumulate(sample);
        var (precision, recall) = Reference(evaluator.Evaluated!, sample);

        BitAssert.Equal(precision, acc.Precision, $"{name} resampled precision");
        BitAssert.Equal(recall, acc.Recall, $"{name} resampled recall");
        Assert.NotEqual(evaluator.Accumulate().Precision.ToArray(), acc.Precision.ToArray());
    }

    [Fact]
    public void Accumulate_into_an_earlier_resample_overwrites_it_with_what_a_fresh_one_holds()
    {
        var golden = GoldenCase.Load("real_val2017_subset_synth");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 2);
        evaluator.Evaluate();
        var whole = evaluator.Accumulate();
        int images = evaluator.EvalImages.ImageIds.Count;
        var random = new Random(5);
        int[] first = [.. Enumerable.Range(0, images).Select(_ => random.Next(images))];
        int[] second = [.. Enumerable.Range(0, images).Select(_ => random.Next(images))];
        var reused = evaluator.Accumulate(first);

        var again = evaluator.Accumulate(second, reused);
        var fresh = evaluator.Accumulate(second);

        Assert.Same(reused, again);
        BitAssert.Equal(fresh.Precision, again.Precision, "reused precision");
        BitAssert.Equal(fresh.Recall, again.Recall, "reused recall");
        BitAssert.Equal(fresh.Scores, again.Scores, "reused scores");
        Assert.Same(whole, evaluator.Accumulation);
        Assert.Throws<ArgumentException>(() => evaluator.Accumulate(second, whole));
        var other = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 1);
        other.Evaluate();
        Assert.Throws<ArgumentException>(() => other.Accumulate(second, reused));
    }

    [Theory]
    [InlineData("basic_mixed")]
    [InlineData("rand_03_ties")]
    public void Accumulate_over_all_images_in_order_is_accumulate(string name)
    {
        var golden = GoldenCase.Load(name);
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 1);
        evaluator.Evaluate();
        int[] all = [.. Enumerable.Range(0, evaluator.EvalImages.ImageIds.Count)];
        var whole = evaluator.Accumulate();
        var again = evaluator.Accumulate(all);

        BitAssert.Equal(whole.Precision, again.Precision, $"{name} precision");
        BitAssert.Equal(whole.Recall, again.Recall, $"{name} recall");
        BitAssert.Equal([.. evaluator.Summarize().Stats], [.. evaluator.Summarize(again).Stats], $"{name} stats");
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Accumulate([all.Length]));
    }

    [Fact]
    public void Accumulate_over_a_subset_of_images_equals_evaluating_that_subset()
    {
        var golden = GoldenCase.Load("real_val2017_subset_synth");
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath);
        var dt = CocoResults.Load(golden.ResultsPath, gt);
        var evaluator = new CocoEvaluator(gt, dt, null, 2);
        evaluator.Evaluate();
        var ids = evaluator.EvalImages.ImageIds;
        int[] subset = [.. Enumerable.Range(0, ids.Count).Where(i => i % 3 != 1)];
        var fromRecords = evaluator.Accumulate(subset);

        var direct = new CocoEvaluator(gt, dt, new CocoEvalParams { ImgIds = [.. subset.Select(i => ids[i])] }, 2);
        direct.Evaluate();
        var expected = direct.Accumulate();

        BitAssert.Equal(expected.Precision, fromRecords.Precision, "precision");
        BitAssert.Equal(expected.Recall, fromRecords.Recall, "recall");
        BitAssert.Equal(expected.Scores, fromRecords.Scores, "scores");
    }

    // COCOeval.accumulate, statement by statement, over EvaluatedImages (per category: the images' lists in the
    // order given, each image's detections in score order).
    private static (double[] Precision, double[] Recall) Reference(EvaluatedImages e, int[]? images = null)
    {
        var s = e.Setup;
        images ??= [.. Enumerable.Range(0, s.I)];
        var precision = Enumerable.Repeat(-1.0, s.T * s.R * s.K * s.A * s.M).ToArray();
        var recall = Enumerable.Repeat(-1.0, s.T * s.K * s.A * s.M).ToArray();
        double eps = Math.BitIncrement(1.0) - 1.0;
        for (int k = 0; k < s.K; k++)
        {
            for (int a = 0; a < s.A; a++)
            {
                for (int m = 0; m < s.M; m++)
                {
                    int maxDet = s.MaxDets[m];
                    var dets = images
                        .SelectMany(i => Enumerable.Range(e.CellDetStart[(k * s.I) + i], e.CellDetStart[(k * s.I) + i + 1] - e.CellDetStart[(k * s.I) + i]))
                        .Where(n => e.DetRank[n] < maxDet).ToList();
                    var inds = dets.OrderByDescending(n => e.DetScore[n]).ToList(); // LINQ's sort is stable
                    int npig = images.Sum(i => e.NpigCell[(((k * s.I) + i) * s.A) + a]);
                    if (npig == 0)
                    {
                        continue;
                    }

                    for (int t = 0; t < s.T; t++)
                    {
                        int nd = inds.Count;
                        var rc = new double[nd];
                        var pr = new double[nd];
                        double tp = 0, fp = 0;
                        for (int i = 0; i < nd; i++)
                        {
                            byte f = e.Flags[(((inds[i] * s.A) + a) * s.T) + t];
                            bool ig = (f & EvaluatedImages.Ignored) != 0, matched = (f & EvaluatedImages.Matched) != 0;
                            tp += matched && !ig ? 1 : 0;
                            fp += !matched && !ig ? 1 : 0;
                            rc[i] = tp / npig;
                            pr[i] = tp / (fp + tp + eps);
                        }

                        recall[(((((t * s.K) + k) * s.A) + a) * s.M) + m] = nd > 0 ? rc[nd - 1] : 0;
                        for (int i = nd - 1; i > 0; i--)
                        {
                            if (pr[i] > pr[i - 1])
                            {
                                pr[i - 1] = pr[i];
                            }
                        }

                        var q = new double[s.R];
                        for (int ri = 0; ri < s.R; ri++)
                        {
                            int pi = 0;
                            while (pi < nd && rc[pi] < s.RecThrs[ri])
                            {
                                pi++;
                            }

                            if (pi >= nd)
                            {
                                break; // IndexError: the rest of q stays 0
                            }

                            q[ri] = pr[pi];
                        }

                        for (int ri = 0; ri < s.R; ri++)
                        {
                            precision[(((((((t * s.R) + ri) * s.K) + k) * s.A) + a) * s.M) + m] = q[ri];
                        }
                    }
                }
            }
        }

        return (precision, recall);
    }
}
