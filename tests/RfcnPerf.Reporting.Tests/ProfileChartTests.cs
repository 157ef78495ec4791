using RfcnPerf.Testing;

namespace RfcnPerf.Reporting.Tests;

/// <summary>The profile chart: one model shows ORT's kernels as they are, two are compared per canonical operator.</summary>
public sealed class ProfileChartTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Two_models_are_drawn_per_canonical_operator()
    {
        var asked = new List<string>();
        string Canonical(string op)
        {
            asked.Add(op);
            return op.StartsWith("QLinear", StringComparison.Ordinal) ? op["QLinear".Length..] : op;
        }

        var fp32 = new ProfileChartSeries("yolov8n", 1, "intra=0", [new("Conv", 20.0), new("Sigmoid", 3.0)], 26, 23);
        var int8 = new ProfileChartSeries("yolov8n-int8", 1, "intra=0", [new("QLinearConv", 9.0), new("QLinearSigmoid", 2.0)], 12, 11);

        ProfileChart.Write(dir.File("vs.png"), [fp32, int8], Canonical);

        Assert.Contains("QLinearConv", asked);
        Assert.True(new FileInfo(dir.File("vs.png")).Length > 10_000);
    }

    [Fact]
    public void One_model_keeps_its_kernel_names()
    {
        var asked = new List<string>();
        var int8 = new ProfileChartSeries("yolov8n-int8", 1, "intra=0", [new("QLinearConv", 9.0), new("QLinearSigmoid", 2.0)], 12, 11);

        ProfileChart.Write(dir.File("one.png"), [int8], op =>
        {
            asked.Add(op);
            return op;
        });

        Assert.Empty(asked);
        Assert.True(new FileInfo(dir.File("one.png")).Length > 10_000);
    }
}
