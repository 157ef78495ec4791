namespace RfcnPerf.Coco.Tests;

/// <summary>Every golden case: our numbers must be the same doubles pycocotools 2.0.11 produced.</summary>
public sealed class GoldenCaseTests
{
    public static TheoryData<string> Cases() => new(GoldenCase.Names());

    public static TheoryData<string> CasesWithArrays() => new(GoldenCase.Names().Where(n => GoldenCase.Load(n).HasArrays));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stats_are_bit_identical_to_pycocotools(string name)
    {
        var golden = GoldenCase.Load(name);
        var (summary, _) = golden.Run(threads: 2);

        BitAssert.Equal(golden.Stats, [.. summary.Stats], $"{name} stats");
        for (int i = 0; i < 12; i++)
        {
            BitAssert.Equal(GoldenCase.ParseHex(golden.StatsHex[i]), summary.Stats[i], $"{name} stats[{i}] vs stats_hex");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_category_metrics_are_bit_identical(string name)
    {
        var golden = GoldenCase.Load(name);
        var (summary, _) = golden.Run(threads: 2);

        Assert.Equal(golden.PerCategory.Select(c => c.Id), summary.PerCategory.Select(c => c.CategoryId));
        for (int k = 0; k < golden.PerCategory.Length; k++)
        {
            var c = summary.PerCategory[k];
            BitAssert.Equal(golden.PerCategory[k].Values, (double[])[c.AP, c.AP50, c.AP75, c.APs, c.APm, c.APl, c.AR100], $"{name} category {c.CategoryId} (AP, AP50, AP75, APs, APm, APl, AR)");
        }
    }

    [Theory]
    [MemberData(nameof(CasesWithArrays))]
    public void Precision_and_recall_arrays_are_bit_identical(string name)
    {
        var golden = GoldenCase.Load(name);
        var (_, acc) = golden.Run(threads: 2);

        Assert.Equal(golden.PrecisionShape, acc.PrecisionShape);
        Assert.Equal(golden.RecallShape, acc.RecallShape);
        BitAssert.Equal(golden.ReadArray("precision.f64"), acc.Precision, $"{name} precision");
        BitAssert.Equal(golden.ReadArray("recall.f64"), acc.Recall, $"{name} recall");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_and_two_threads_give_the_same_bits(string name)
    {
        var golden = GoldenCase.Load(name);
        var (one, accOne) = golden.Run(threads: 1);
        var (two, accTwo) = golden.Run(threads: 2);

        BitAssert.Equal([.. one.Stats], [.. two.Stats], $"{name} stats");
        BitAssert.Equal(accOne.Precision, accTwo.Precision, $"{name} precision");
        BitAssert.Equal(accOne.Recall, accTwo.Recall, $"{name} recall");
        BitAssert.Equal(accOne.Scores, accTwo.Scores, $"{name} scores");
    }
}
