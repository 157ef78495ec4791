using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Tests;

/// <summary>The fusion report counts kernels by the operator table, not by a list of its own.</summary>
public sealed class FusionReportTests
{
    [Theory]
    [InlineData("ReduceMax")] // missing from the report's own list before it read the table
    [InlineData("ReduceMin")]
    [InlineData("NhwcMaxPool")]
    [InlineData("Reshape")]
    public void Data_movement_on_quantized_data_is_an_int8_kernel(string opType)
    {
        var optimized = Graph(
            new NodeProto { Name = "q", OpType = "QuantizeLinear", Input = { "x", "s", "z" }, Output = { "xq" } },
            new NodeProto { Name = "m", OpType = opType, Input = { "xq" }, Output = { "y" } });

        var report = FusionReport.Analyze(Graph(), optimized);

        Assert.Equal(1, report.Int8Kernels);
        Assert.Equal(1, report.QuantizeNodes);
    }

    [Fact]
    public void Float_data_movement_and_argmax_are_not()
    {
        var optimized = Graph(
            new NodeProto { Name = "m", OpType = "ReduceMax", Input = { "x" }, Output = { "y" } },
            new NodeProto { Name = "q", OpType = "QuantizeLinear", Input = { "y", "s", "z" }, Output = { "yq" } },
            new NodeProto { Name = "a", OpType = "ArgMax", Input = { "yq" }, Output = { "i" } });

        Assert.Equal(0, FusionReport.Analyze(Graph(), optimized).Int8Kernels);
    }

    [Fact]
    public void Convolutions_are_told_apart_by_precision()
    {
        var optimized = Graph(
            new NodeProto { Name = "c1", OpType = "QLinearConv", Output = { "a" } },
            new NodeProto { Name = "c2", OpType = "Conv", Domain = "com.microsoft.nchwc", Output = { "b" } },
            new NodeProto { Name = "c3", OpType = "FusedConv", Domain = "com.microsoft", Output = { "c" } },
            new NodeProto { Name = "g", OpType = "QGemm", Domain = "com.microsoft", Output = { "d" } });

        var report = FusionReport.Analyze(Graph(), optimized);

        Assert.Equal((1, 2, 2), (report.Int8Convs, report.FloatConvs, report.Int8Kernels));
    }

    private static ModelProto Graph(params NodeProto[] nodes)
    {
        var graph = new GraphProto();
        graph.Node.AddRange(nodes);
        return new ModelProto { Graph = graph };
    }
}
