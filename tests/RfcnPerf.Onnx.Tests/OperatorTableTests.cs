namespace RfcnPerf.Onnx.Tests;

/// <summary>The one operator table: its entries agree with each other, so a new op is one consistent line.</summary>
public sealed class OperatorTableTests
{
    [Fact]
    public void Every_op_batchify_trusts_has_a_shape_rule()
    {
        // Batchify proves a rewrite by shape inference at batch 1 and 2: an op it lets through without a
        // shape rule could never be proven.
        var missing = OperatorTable.All.Where(r => r.Batch != BatchRule.Refuse && r.Shape is null).Select(r => r.OpType).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_counted_op_has_a_shape_rule()
    {
        var missing = OperatorTable.All.Where(r => r.Flops.Kind != FlopKind.None && r.Shape is null).Select(r => r.OpType).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("Conv", "Conv", 1, false)]
    [InlineData("QLinearConv", "Conv", 3, true)]
    [InlineData("ConvInteger", "Conv", 1, true)]
    [InlineData("MatMulInteger", "MatMul", 1, true)]
    [InlineData("Gemm", "MatMul", 1, false)]
    [InlineData("Relu", "None", 0, false)]
    public void Flop_rules_name_the_weight_input_and_integer_work(string op, string kindName, int weightInput, bool integer)
    {
        var kind = Enum.Parse<FlopKind>(kindName);
        var flops = OperatorTable.Find(op)!.Flops;
        Assert.Equal(kind, flops.Kind);
        if (kind != FlopKind.None)
        {
            Assert.Equal(weightInput, flops.WeightInput);
        }

        Assert.Equal(integer, flops.Integer);
    }

    [Theory]
    [InlineData("QLinearConv", true)]
    [InlineData("MatMulInteger", true)]
    [InlineData("QLinearReduceMean", true)] // com.microsoft QLinear op the table does not model
    [InlineData("Conv", false)]
    [InlineData("DequantizeLinear", false)]
    public void Quantized_operators_are_recognised(string op, bool quantized) =>
        Assert.Equal(quantized, OperatorTable.IsQuantizedOperator(op));

    [Fact]
    public void Unknown_ops_are_refused_by_batchify_and_not_inferred()
    {
        Assert.Null(OperatorTable.Find("NonMaxSuppression"));
        Assert.Equal(BatchRule.Refuse, OperatorTable.BatchRuleOf("NonMaxSuppression"));
    }
}
