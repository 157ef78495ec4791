namespace RfcnPerf.Coco.Tests;

/// <summary>The printed summary against lines made with pycocotools' own format string in Python.</summary>
public sealed class SummaryFormatTests
{
    private const string BasicMixed = """
         Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.403
         Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.685
         Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.520
         Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.550
         Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.251
         Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.383
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.550
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.550
         Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.550
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.450
         Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750

        """;

    private const string CustomMaxDets = """
         Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = -1.000
         Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=300 ] = 0.211
         Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=300 ] = 0.211
         Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=300 ] = -1.000
         Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=300 ] = 0.211
         Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=300 ] = -1.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=300 ] = 1.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=300 ] = -1.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=300 ] = 1.000
         Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=300 ] = -1.000

        """;

    [Theory]
    [InlineData("basic_mixed", BasicMixed)]
    [InlineData("custom_maxdets", CustomMaxDets)]
    public void Summary_lines_are_pycocotools_lines(string name, string expected)
    {
        var (summary, _) = GoldenCase.Load(name).Run(threads: 1);
        Assert.Equal(expected, summary.FormatStats());
    }

    [Fact]
    public void Stat_names_follow_max_dets()
    {
        var (summary, _) = GoldenCase.Load("custom_maxdets").Run(threads: 1);
        Assert.Equal(["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR300", "ARs", "ARm", "ARl"], summary.StatNames);
    }

    [Fact]
    public void Per_category_table_sorts_as_asked()
    {
        var (summary, _) = GoldenCase.Load("basic_mixed").Run(threads: 1);

        string[] byAp = summary.FormatPerCategory(CocoCategorySort.AP).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id  name      AP    AP50    AP75     APs     APm     APl   AR100", byAp[0]);
        Assert.Equal(" 3  cat3   0.451   1.000   0.505   0.300  -1.000   0.600   0.450", byAp[1]);
        Assert.StartsWith(" 1  cat1   0.434", byAp[2], StringComparison.Ordinal);
        Assert.StartsWith(" 2  cat2   0.325", byAp[3], StringComparison.Ordinal);

        string[] byId = summary.FormatPerCategory(CocoCategorySort.Id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([" 1", " 2", " 3"], byId.Skip(1).Select(l => l[..2]));

        string[] byApSmall = summary.FormatPerCategory(CocoCategorySort.APs).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([" 2", " 3", " 1"], byApSmall.Skip(1).Select(l => l[..2]));
    }
}
