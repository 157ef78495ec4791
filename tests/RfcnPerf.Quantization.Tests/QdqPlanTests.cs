using RfcnPerf.Onnx;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization.Tests;

/// <summary>The plan pass on its own: per node its pattern or the reason it stays FP32, shared roots and Concat groups.</summary>
public sealed class QdqPlanTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-qdq-plan-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static QdqPlan PlanOf(string path, QuantizeOptions? options = null) => QdqQuantizer.Prepare(path, options ?? new QuantizeOptions()).Plan;

    [Fact]
    public void Each_node_gets_the_pattern_of_its_op_rule_or_one_reason()
    {
        var plan = PlanOf(QdqTestModels.Backbone(dir));

        Assert.Equal(
            [QuantPattern.Conv, QuantPattern.Unary, QuantPattern.Binary, QuantPattern.SharedScale, QuantPattern.Variadic, QuantPattern.Conv,
             QuantPattern.FusedActivation, QuantPattern.Binary, QuantPattern.SharedScale, null],
            plan.Nodes.Select(n => n.Pattern));
        Assert.All(plan.Nodes, n => Assert.True(n.Quantized ^ (n.Fp32Reason is not null), n.Name));
        var last = Assert.Single(plan.Fp32Nodes);
        Assert.Equal(("Sigmoid_9", "produces a graph output (ONNX Runtime fuses no node whose output leaves the graph)"), (last.Name, last.Reason));
    }

    [Fact]
    public void Data_movement_outputs_take_their_inputs_root_and_need_no_calibration()
    {
        var plan = PlanOf(QdqTestModels.Backbone(dir));

        Assert.Equal("m1", plan.SharesWith["p1"]); // MaxPool
        Assert.Equal("a", plan.SharesWith["y"]); // nearest Resize
        Assert.Equal("a", plan.Root("y"));
        Assert.Equal("c1", plan.Root("c1"));
        Assert.True(plan.IsQuantized("y"));
        Assert.DoesNotContain("y", plan.CalibrationTensors);
        Assert.DoesNotContain("p1", plan.CalibrationTensors);
    }

    [Fact]
    public void A_conv_output_read_only_by_relu_gets_no_pair()
    {
        var plan = PlanOf(QdqTestModels.Backbone(dir));

        // c2 -> Relu: ReluQuantFusion folds the Relu into r2's QuantizeLinear; c1 feeds Sigmoid and Mul, so keeps its pair.
        Assert.False(plan.IsQuantized("c2"));
        Assert.True(plan.IsQuantized("r2"));
        Assert.True(plan.IsQuantized("c1"));
    }

    [Fact]
    public void Concat_inputs_and_output_form_one_scale_group_only_when_asked()
    {
        var path = QdqTestModels.TwoRangeConcat(dir);

        var group = Assert.Single(PlanOf(path).ConcatScaleGroups);
        Assert.Equal(["c1", "c3", "cat"], group);
        Assert.Empty(PlanOf(path, new QuantizeOptions { ConcatSharesScale = false }).ConcatScaleGroups);
    }

    [Fact]
    public void A_data_movement_output_feeding_a_concat_joins_the_group_through_its_root()
    {
        // m1 -> MaxPool -> p1 (shares m1's scale); Concat(m1, p1): both are m1, so the group is {m1, cat}.
        var group = Assert.Single(PlanOf(QdqTestModels.Backbone(dir)).ConcatScaleGroups);

        Assert.Equal(["cat", "m1"], group);
    }

    [Fact]
    public void Conv_with_weights_from_a_graph_input_stays_fp32_with_its_reason()
    {
        var path = Path.Combine(dir, "dynamic-weights.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 4, 4)
            .Input("w", OnnxElementType.Float, 2, 3, 1, 1)
            .Initializer("w2", Enumerable.Repeat(0.5f, 2 * 2).ToArray(), 2, 2, 1, 1)
            .Conv("x", "w", null, "c")
            .Conv("c", "w2", null, "d")
            .Node("Sigmoid", ["d"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 2, 4, 4)
            .Save(path);

        var plan = PlanOf(path);

        Assert.Equal("weights are not a float initializer", plan.Nodes[0].Fp32Reason);
        Assert.Equal(QuantPattern.Conv, plan.Nodes[1].Pattern);
    }

    [Fact]
    public void Binary_op_on_an_integer_tensor_stays_fp32_with_its_reason()
    {
        var path = Path.Combine(dir, "int-add.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 2, 4, 4)
            .Input("k", OnnxElementType.Int64, 1, 2, 4, 4)
            .Initializer("w", Enumerable.Repeat(0.5f, 2 * 2).ToArray(), 2, 2, 1, 1)
            .Conv("x", "w", null, "c")
            .Node("Cast", ["c"], ["ci"], OnnxAttribute.Int("to", (long)OnnxElementType.Int64))
            .Add("ci", "k", "s")
            .Node("Cast", ["s"], ["sf"], OnnxAttribute.Int("to", (long)OnnxElementType.Float))
            .Node("Sigmoid", ["sf"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 2, 4, 4)
            .Save(path);

        var plan = PlanOf(path);

        Assert.Equal("inputs are not all float tensors", plan.Nodes.Single(n => n.OpType == "Add").Fp32Reason);
        Assert.Equal("no int8 kernel for this op in the quantizer's table", plan.Nodes.First(n => n.OpType == "Cast").Fp32Reason);
    }

    [Fact]
    public void Gemm_whose_c_is_not_a_vector_of_the_output_width_stays_fp32()
    {
        var path = Path.Combine(dir, "gemm-c.onnx");
        new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", OnnxElementType.Float, 2, 4)
            .Initializer("W", Enumerable.Repeat(0.25f, 4 * 3).ToArray(), 4, 3)
            .Initializer("C", [0.1f], 1)
            .Node("Gemm", ["x", "W", "C"], ["g"])
            .Node("Sigmoid", ["g"], ["s"])
            .Node("Sigmoid", ["s"], ["y"])
            .Output("y", OnnxElementType.Float, 2, 3)
            .Save(path);

        var plan = PlanOf(path);

        Assert.StartsWith("C is not a constant vector of the output's width", plan.Nodes[0].Fp32Reason, StringComparison.Ordinal);
        Assert.Equal(QuantPattern.Unary, plan.Nodes[1].Pattern);
    }

    [Fact]
    public void The_first_reason_that_applies_is_given()
    {
        // Conv_0 is both the image stem and excluded: exclusion is checked first.
        var plan = PlanOf(QdqTestModels.Backbone(dir), new QuantizeOptions { KeepStemFp32 = true, Exclude = ["Conv_0"] });

        Assert.Equal("excluded (--exclude)", plan.Nodes[0].Fp32Reason);
    }
}
