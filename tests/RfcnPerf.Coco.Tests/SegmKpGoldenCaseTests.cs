using System.Buffers.Binary;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The segm and keypoints golden cases (tests/data/coco-eval-cases-segm-kp.tar.gz, pycocotools 2.0.11): stats,
/// precision and recall bit for bit at one thread and at every core, the printed summary character for character,
/// and pycocotools' own IoU / OKS matrices (E.ious) cell by cell.
/// </summary>
public sealed class SegmKpGoldenCaseTests
{
    /// <summary>
    /// OKS matrices may differ from pycocotools' own by this many units in the last place: numpy 1.24 computes np.exp
    /// with its own AVX-512 code on CPUs that have it (the reference cases were made on one), which is 1 ulp off the
    /// C library's exp (which .NET calls) for many inputs (10 of the 13 terms of one OKS here); the up to 17 terms'
    /// errors add up in the sum, and over the 455 keypoint matrices of the bundled cases the largest difference is
    /// 3 ulp. Everything else in the arithmetic is pinned exactly by the comparison with ious_libm.bin (pycocotools
    /// with np.exp swapped for the C library's). Box and mask IoUs are compared bit for bit.
    /// </summary>
    private const long OksUlps = 3;

    public static TheoryData<string> Cases() => new(GoldenCase.SegmKpNames());

    public static TheoryData<string, int> CasesAndThreads()
    {
        var data = new TheoryData<string, int>();
        // One thread, an odd count (the keypoints' one category is cut into runs of images) and every core.
        foreach (string name in GoldenCase.SegmKpNames())
        {
            foreach (int threads in new[] { 1, 3, Environment.ProcessorCount }.Distinct())
            {
                data.Add(name, threads);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndThreads))]
    public void Stats_and_arrays_are_bit_identical_to_pycocotools(string name, int threads)
    {
        Check(GoldenCase.LoadSegmKp(name), threads);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_lines_are_pycocotools_lines(string name)
    {
        var golden = GoldenCase.LoadSegmKp(name);
        var (summary, _) = golden.Run(threads: 2);

        Assert.Equal(golden.SummaryPrinted!, summary.StatLines);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Iou_matrices_are_pycocotools_matrices(string name)
    {
        var golden = GoldenCase.LoadSegmKp(name);
        CompareIous(golden, "ious.bin", golden.IouType == CocoIouType.Keypoints ? OksUlps : 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Oks_matrices_are_bit_identical_with_the_c_library_exp(string name)
    {
        var golden = GoldenCase.LoadSegmKp(name);
        if (golden.IouType == CocoIouType.Keypoints)
        {
            CompareIous(golden, "ious_libm.bin", 0);
        }
    }

    private static void CompareIous(GoldenCase golden, string file, long allowedUlps)
    {
        string name = $"{golden.Name} ({file})";
        var gt = CocoGroundTruth.Load(golden.GroundTruthPath, golden.IouType);
        var evaluator = new CocoEvaluator(gt, CocoResults.Load(golden.ResultsPath, gt), golden.Params, 2);
        evaluator.Evaluate();
        var images = evaluator.EvalImages;
        var expected = ReadIous(golden.ReadBytes(file));
        int compared = 0;
        for (int k = 0; k < images.CategoryIds.Count; k++)
        {
            for (int i = 0; i < images.ImageIds.Count; i++)
            {
                var key = (images.ImageIds[i], images.CategoryIds[k]);
                double[]? ours = evaluator.CellIou(k, i);
                if (!expected.TryGetValue(key, out var theirs))
                {
                    Assert.True(ours is null, $"{name} image {key.Item1} category {key.Item2}: pycocotools has no matrix, we have {ours?.Length} values");
                    continue;
                }

                Assert.NotNull(ours);
                Assert.Equal(theirs.Rows * theirs.Columns, ours.Length);
                Assert.Equal(theirs.Rows, images[k, i].DetectionCount);
                for (int j = 0; j < ours.Length; j++)
                {
                    long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(ours[j]) - BitConverter.DoubleToInt64Bits(theirs.Values[j]));
                    Assert.True(ulps <= allowedUlps, $"{name} image {key.Item1} category {key.Item2} [{j / theirs.Columns}, {j % theirs.Columns}]: {ours[j]:R} vs pycocotools {theirs.Values[j]:R} ({ulps} ulp)");
                }

                compared++;
            }
        }

        Assert.Equal(expected.Count, compared);
    }

    [SkippableTheory]
    [InlineData("segm_large_tiled5k")]
    [InlineData("kp_large_tiled5k")]
    public void Large_cases_are_bit_identical_at_one_thread_and_every_core(string name)
    {
        var golden = GoldenCase.LoadShared(name);
        Check(golden, 1);
        Check(golden, Environment.ProcessorCount);
    }

    private static void Check(GoldenCase golden, int threads)
    {
        var (summary, acc) = golden.Run(threads);
        string name = $"{golden.Name} at {threads} thread(s)";
        Assert.Equal(golden.StatsHex.Length, summary.Stats.Count);
        for (int s = 0; s < golden.StatsHex.Length; s++)
        {
            BitAssert.Equal(GoldenCase.ParseHex(golden.StatsHex[s]), summary.Stats[s], $"{name} stats[{s}] ({summary.StatNames[s]})");
        }

        Assert.Equal(golden.PrecisionShape, acc.PrecisionShape);
        Assert.Equal(golden.RecallShape, acc.RecallShape);
        BitAssert.Equal(golden.ReadArray("precision.f64"), acc.Precision, $"{name} precision");
        BitAssert.Equal(golden.ReadArray("recall.f64"), acc.Recall, $"{name} recall");
    }

    /// <summary>ious.bin: per non-empty cell, int64 image id, int64 category id, int32 D, int32 G, D * G float64 (C order).</summary>
    private static Dictionary<(long, long), (int Rows, int Columns, double[] Values)> ReadIous(byte[] bytes)
    {
        var cells = new Dictionary<(long, long), (int, int, double[])>();
        int at = 0;
        while (at < bytes.Length)
        {
            long image = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
            long category = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 8));
            int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 16));
            int columns = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 20));
            at += 24;
            var values = new double[rows * columns];
            for (int j = 0; j < values.Length; j++, at += 8)
            {
                values[j] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(at));
            }

            cells.Add((image, category), (rows, columns, values));
        }

        return cells;
    }
}
