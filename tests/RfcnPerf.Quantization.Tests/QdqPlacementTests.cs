using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;
using RfcnPerf.Onnx.Tests;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization.Tests;

/// <summary>
/// Where the quantizer puts Q/DQ pairs on small graphs built with <see cref="OnnxGraphBuilder"/>, what ONNX
/// Runtime fuses of them, exclusions, refusals and determinism.
/// </summary>
public sealed class QdqPlacementTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-qdq-tests-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Dictionary<string, TensorStatistics> Calibrate(QdqQuantizer quantizer, int images = 4)
    {
        using var session = Ort.Session(quantizer.CalibrationModel());
        var stats = quantizer.CalibrationTensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        for (var i = 0; i < images; i++)
        {
            var input = Ort.DeterministicInput(3 * 8 * 8, i);
            var outputs = Ort.Run(session, "x", input, [1, 3, 8, 8]);
            foreach (var (name, s) in stats)
            {
                s.Add(name == "x" ? input : outputs[name].Data);
            }
        }

        return stats;
    }

    private static ModelProto Parse(QuantizedModel m) => ModelProto.Parser.ParseFrom(m.Bytes);

    private static NodeProto? QuantizeOf(ModelProto m, string tensor) =>
        m.Graph.Node.FirstOrDefault(n => n.OpType == "QuantizeLinear" && n.Input[0] == tensor);

    [Fact]
    public void Whole_chain_sits_inside_qdq_with_uint8_activations()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { Method = CalibrationMethod.MinMax });
        var built = q.Build(Calibrate(q), "test");
        var m = Parse(built);

        // Every activation of the chain gets one Q/DQ pair; the Conv output feeding Relu does not (ReluQuantFusion).
        foreach (var t in new[] { "x", "c1", "s1", "m1", "p1", "cat", "r2", "a", "y" })
        {
            Assert.NotNull(QuantizeOf(m, t));
        }

        Assert.Null(QuantizeOf(m, "c2"));
        Assert.Equal(9, built.QuantizedNodes); // Conv x2, Sigmoid, Mul, MaxPool, Concat, Relu, Add, Resize

        // A node producing a graph output cannot fuse (ORT keeps graph outputs float): it stays FP32.
        Assert.Null(QuantizeOf(m, "z"));
        Assert.Contains(built.Fp32Nodes, n => n.Name == "Sigmoid_9" && n.Reason.Contains("graph output", StringComparison.Ordinal));
    }

    [Fact]
    public void Weights_are_int8_per_channel_and_bias_int32()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions());
        var m = Parse(q.Build(Calibrate(q), "test"));
        var w = m.Graph.Initializer.Single(t => t.Name == "w1_quantized");
        var b = m.Graph.Initializer.Single(t => t.Name.EndsWith("b1_quantized", StringComparison.Ordinal));
        var wDq = m.Graph.Node.Single(n => n.OpType == "DequantizeLinear" && n.Input[0] == "w1_quantized");

        Assert.Equal((int)OnnxElementType.Int8, w.DataType);
        Assert.Equal((int)OnnxElementType.Int32, b.DataType);
        Assert.Equal(4, m.Graph.Initializer.Single(t => t.Name == "w1_quantized_scale").FloatData.Count);
        Assert.Equal(0, NodeAttributes.Int(wDq, "axis", -1));
        Assert.DoesNotContain(m.Graph.Initializer, t => t.Name is "w1" or "b1"); // float copies dropped
    }

    [Fact]
    public void Data_movement_outputs_share_their_inputs_parameters()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { Method = CalibrationMethod.MinMax });
        var m = Parse(q.Build(Calibrate(q), "test"));
        float Scale(string t) => m.Graph.Initializer.Single(i => i.Name == t + "_scale").FloatData[0];

        Assert.Equal(Scale("m1"), Scale("p1")); // MaxPool
        Assert.Equal(Scale("a"), Scale("y")); // Resize
        Assert.NotEqual(Scale("c1"), Scale("s1"));
        Assert.DoesNotContain("p1", q.CalibrationTensors);
    }

    [Fact]
    public void Concat_inputs_and_output_share_the_union_of_their_ranges_unless_told_otherwise()
    {
        var path = QdqTestModels.TwoRangeConcat(dir);
        var own = QdqQuantizer.Prepare(path, new QuantizeOptions { Method = CalibrationMethod.MinMax, ConcatSharesScale = false });
        var shared = QdqQuantizer.Prepare(path, new QuantizeOptions { Method = CalibrationMethod.MinMax });
        var stats = Calibrate(own);
        var a = Parse(own.Build(stats, "test"));
        var built = shared.Build(stats, "test");
        var b = Parse(built);
        float Scale(ModelProto m, string t) => m.Graph.Initializer.Single(i => i.Name == t + "_scale").FloatData[0];
        int ZeroPoint(ModelProto m, string t) => m.Graph.Initializer.Single(i => i.Name == t + "_zero_point").RawData[0];
        (double Min, double Max) Range(string t) => stats[t].Range(CalibrationMethod.MinMax, 100);

        // Own ranges: each input of the Concat has its own parameters, so QLinearConcat requantizes them.
        Assert.NotEqual(Scale(a, "c1"), Scale(a, "c3"));

        // Shared: c1, c3 and cat carry one scale and zero point, that of the union of their calibrated ranges.
        var union = QuantParams.ForActivation(
            new[] { "c1", "c3", "cat" }.Min(t => Range(t).Min), new[] { "c1", "c3", "cat" }.Max(t => Range(t).Max), unsigned: true);
        foreach (var t in new[] { "c1", "c3", "cat" })
        {
            Assert.Equal(union.Scale, Scale(b, t));
            Assert.Equal(union.ZeroPoint, ZeroPoint(b, t));
        }

        Assert.Equal(Scale(a, "x"), Scale(b, "x")); // a tensor feeding no Concat keeps its own range
        var report = Fusion(built.Bytes);
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearConcat");
        Assert.Equal(3, report.Int8Convs);
        Assert.Contains("concat=own", own.Options.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("concat", shared.Options.Describe(), StringComparison.Ordinal);

        // Still the FP32 answer to within a few quantization steps.
        using var fp32 = Ort.Session(path);
        using var int8 = Ort.Session(built.Bytes);
        var input = Ort.DeterministicInput(3 * 8 * 8, 2);
        var x = Ort.Run(fp32, "x", input, [1, 3, 8, 8])["z"].Data;
        var y = Ort.Run(int8, "x", input, [1, 3, 8, 8])["z"].Data;
        Assert.True(x.Zip(y).Max(p => Math.Abs(p.First - p.Second)) < (x.Max() - x.Min()) * 0.05, "INT8 output strays from FP32");
    }

    [Fact]
    public void Onnx_runtime_fuses_every_pattern_with_uint8_activations()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions());
        var built = q.Build(Calibrate(q), "test");
        var report = Fusion(built.Bytes);

        Assert.Equal(2, report.QdqConvs);
        Assert.Equal(2, report.Int8Convs);
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearSigmoid");
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearMul");
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearConcat");
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearAdd");
        Assert.Empty(report.LeftInFloat);
        Assert.False(report.MostConvsNotFused);
    }

    [Fact]
    public void Int8_activations_leave_the_silu_conv_in_float()
    {
        // docs/INT8.md: with S8 activations ORT fuses a Conv only when its output Q/DQ pair has one consumer;
        // c1 feeds both Sigmoid and Mul.
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { UnsignedActivations = false });
        var report = Fusion(q.Build(Calibrate(q), "test").Bytes);

        Assert.True(report.Int8Convs < 2, $"{report.Int8Convs} int8 convs");
        Assert.Contains(report.LeftInFloat, n => n.Name == "Conv_0");
    }

    [Fact]
    public void Quantized_output_is_close_to_fp32()
    {
        var path = QdqTestModels.Backbone(dir);
        var q = QdqQuantizer.Prepare(path, new QuantizeOptions { Method = CalibrationMethod.MinMax });
        var built = q.Build(Calibrate(q, 8), "test");
        using var fp32 = Ort.Session(path);
        using var int8 = Ort.Session(built.Bytes);
        var input = Ort.DeterministicInput(3 * 8 * 8, 2);
        var a = Ort.Run(fp32, "x", input, [1, 3, 8, 8])["z"].Data;
        var b = Ort.Run(int8, "x", input, [1, 3, 8, 8])["z"].Data;

        // Uint8 over the calibrated range: a few quantization steps of the output's range at most.
        var range = a.Max() - a.Min();
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < range * 0.05, "INT8 output strays from FP32");
    }

    [Fact]
    public void Excluded_node_and_op_stay_fp32()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { Exclude = ["Conv_0", "Sigmoid"] });
        var m = Parse(q.Build(Calibrate(q), "test"));

        Assert.Contains(q.Fp32Nodes, n => n.Name == "Conv_0" && n.Reason.Contains("excluded", StringComparison.Ordinal));
        Assert.Contains(q.Fp32Nodes, n => n.OpType == "Sigmoid");
        Assert.Contains(m.Graph.Initializer, t => t.Name == "w1" && t.DataType == (int)OnnxElementType.Float);
        Assert.DoesNotContain(m.Graph.Initializer, t => t.Name == "w1_quantized");
        Assert.Contains(m.Graph.Initializer, t => t.Name == "w2_quantized");
    }

    [Fact]
    public void Image_stem_stays_fp32_when_asked_and_onnx_runtime_still_fuses_the_rest()
    {
        // Conv_0 reads the 3-channel graph input x (the image stem); Conv_1 reads an 8-channel activation.
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { KeepStemFp32 = true });
        var built = q.Build(Calibrate(q), "test");
        var m = Parse(built);
        var report = Fusion(built.Bytes);

        Assert.Contains(q.Fp32Nodes, n => n.Name == "Conv_0" && n.Reason.Contains("image stem", StringComparison.Ordinal));
        Assert.DoesNotContain(q.Fp32Nodes, n => n.Name == "Conv_1");
        Assert.Contains(m.Graph.Initializer, t => t.Name == "w1" && t.DataType == (int)OnnxElementType.Float);
        Assert.DoesNotContain(m.Graph.Node, n => n.OpType == "QuantizeLinear" && n.Input[0] == "x"); // the input stays float
        Assert.Equal(1, report.QdqConvs);
        Assert.Equal(1, report.Int8Convs);
        Assert.Contains("stem=FP32", new QuantizeOptions { KeepStemFp32 = true }.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("stem", new QuantizeOptions().Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_stem_rule_the_first_conv_is_quantized()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions());

        Assert.DoesNotContain(q.Fp32Nodes, n => n.Name == "Conv_0");
    }

    [Fact]
    public void Exclude_naming_nothing_is_refused()
    {
        var ex = Assert.Throws<OnnxModelException>(() => QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions { Exclude = ["NoSuchNode"] }));
        Assert.Contains("--exclude NoSuchNode names no node", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initializers_listed_as_inputs_and_opset_11_are_handled()
    {
        // NanoDet's files: opset 11 (per-channel DequantizeLinear needs 13) and every initializer a graph input.
        var path = QdqTestModels.Backbone(dir, initializersAsInputs: true, opset: 11);
        var q = QdqQuantizer.Prepare(path, new QuantizeOptions());
        var built = q.Build(Calibrate(q), "test");
        var m = Parse(built);

        Assert.True(built.OpsetUpgraded);
        Assert.True(built.PerChannel);
        Assert.DoesNotContain(m.Graph.Input, i => i.Name is "w1" or "w2");
        Assert.Equal(2, Fusion(built.Bytes).Int8Convs);
    }

    [Fact]
    public void Opset_11_resize_with_empty_scales_survives_the_upgrade()
    {
        // NanoDet's Resize nodes pass an empty `scales` next to `sizes`: valid in opset 11, rejected in 13.
        var path = Path.Combine(dir, "resize11.onnx");
        new OnnxGraphBuilder(opset: 11, irVersion: 6)
            .Input("x", OnnxElementType.Float, 1, 3, 4, 4)
            .Initializer("w", Enumerable.Range(0, 2 * 3).Select(i => 0.1f * i).ToArray(), 2, 3, 1, 1)
            .Initializer("roi", Array.Empty<float>(), 0)
            .Initializer("no_scales", Array.Empty<float>(), 0)
            .Initializer("sizes", [1L, 2, 8, 8], 4)
            .Conv("x", "w", null, "c")
            .Node("Resize", ["c", "roi", "no_scales", "sizes"], ["r"], OnnxAttribute.String("mode", "nearest"))
            .Conv("r", "w2", null, "y")
            .Initializer("w2", [0.5f, -0.5f], 1, 2, 1, 1)
            .Output("y", OnnxElementType.Float, 1, 1, 8, 8)
            .Save(path);
        var q = QdqQuantizer.Prepare(path, new QuantizeOptions());
        using var calibration = Ort.Session(q.CalibrationModel());
        var stats = q.CalibrationTensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        var input = Ort.DeterministicInput(3 * 4 * 4, 1);
        var outputs = Ort.Run(calibration, "x", input, [1, 3, 4, 4]);
        foreach (var (name, s) in stats)
        {
            s.Add(name == "x" ? input : outputs[name].Data);
        }

        var built = q.Build(stats, "test");

        Assert.True(built.OpsetUpgraded);
        using var session = Ort.Session(built.Bytes); // throws if Resize got both scales and sizes
        Assert.Equal(64, Ort.Run(session, "x", input, [1, 3, 4, 4])["y"].Data.Length);
    }

    [Theory]
    [InlineData("nearest", true)]
    [InlineData("linear", false)]
    [InlineData("cubic", false)]
    public void Onnx_runtime_runs_only_nearest_resize_on_uint8(string mode, bool fused)
    {
        // Pins ORT's rule (DropQDQNodeGroupSelector::Check, PR #28414): a hand-made DQ -> Resize -> Q with equal
        // parameters on both sides becomes a uint8 Resize for mode nearest only. If ORT starts fusing linear
        // Resize again, QuantOpRules.KeptFloatByOrt must follow.
        var path = Path.Combine(dir, $"qdq-resize-{mode}.onnx");
        new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", OnnxElementType.Float, 1, 2, 4, 4)
            .Initializer("s", [0.02f])
            .Initializer("zp", OnnxElementType.UInt8, [128])
            .Initializer("sizes", [1L, 2, 8, 8], 4)
            .Node("QuantizeLinear", ["x", "s", "zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zp"], ["xd"])
            .Node("Resize", ["xd", "", "", "sizes"], ["r"], OnnxAttribute.String("mode", mode), OnnxAttribute.String("coordinate_transformation_mode", "pytorch_half_pixel"))
            .Node("QuantizeLinear", ["r", "s", "zp"], ["rq"])
            .Node("DequantizeLinear", ["rq", "s", "zp"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 2, 8, 8)
            .Save(path);

        var optimized = Optimized(File.ReadAllBytes(path));
        var resize = optimized.Graph.Node.Single(n => n.OpType == "Resize");
        var producer = optimized.Graph.Node.Single(n => n.Output.Contains(resize.Input[0]));

        Assert.Equal(fused ? "QuantizeLinear" : "DequantizeLinear", producer.OpType);
    }

    [Fact]
    public void Linear_resize_stays_fp32_and_nearest_resize_runs_on_uint8()
    {
        // NanoDet's FPN upsamples with linear Resize (pytorch_half_pixel, constant sizes): ORT keeps it float, so
        // the quantizer lists it as FP32 instead of reporting a quantized node that did not fuse; its input and
        // output still get Q/DQ because the Conv before and the Add after are quantized.
        var path = Path.Combine(dir, "resize-modes.onnx");
        var rng = new Random(5);
        new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", OnnxElementType.Float, 1, 3, 4, 4)
            .Initializer("w", Enumerable.Range(0, 2 * 3).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray(), 2, 3, 1, 1)
            .Initializer("sizes", [1L, 2, 8, 8], 4)
            .Conv("x", "w", null, "c")
            .Node("Resize", ["c", "", "", "sizes"], ["lin"], OnnxAttribute.String("mode", "linear"), OnnxAttribute.String("coordinate_transformation_mode", "pytorch_half_pixel"))
            .Node("Resize", ["c", "", "", "sizes"], ["near"], OnnxAttribute.String("mode", "nearest"))
            .Add("lin", "near", "a")
            .Node("Sigmoid", ["a"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 2, 8, 8)
            .Save(path);

        var q = QdqQuantizer.Prepare(path, new QuantizeOptions());
        var stats = q.CalibrationTensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        using (var calibration = Ort.Session(q.CalibrationModel()))
        {
            var input = Ort.DeterministicInput(3 * 4 * 4, 1);
            var outputs = Ort.Run(calibration, "x", input, [1, 3, 4, 4]);
            foreach (var (name, s) in stats)
            {
                s.Add(name == "x" ? input : outputs[name].Data);
            }
        }

        var built = q.Build(stats, "test");
        var report = Fusion(built.Bytes);
        var optimized = Optimized(built.Bytes);

        Assert.Contains(built.Fp32Nodes, n => n.Name == "Resize_1" && n.Reason.Contains("mode 'linear'", StringComparison.Ordinal));
        Assert.DoesNotContain(built.Fp32Nodes, n => n.Name == "Resize_2");
        Assert.Contains("lin", q.CalibrationTensors); // its own scale: nothing shares it
        Assert.True(report.LeftInFloat.Count == 0, string.Join("; ", report.LeftInFloat) + " | " + string.Join(", ", report.OptimizedOps));
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearAdd");

        // In ORT's graph the nearest Resize reads uint8 straight from the QLinearConv, the linear one a DequantizeLinear.
        var producers = optimized.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n.OpType))).ToDictionary(x => x.o, x => x.OpType);
        var resizes = optimized.Graph.Node.Where(n => n.OpType == "Resize").ToList();
        Assert.Equal(2, resizes.Count);
        Assert.Contains(resizes, r => NodeAttributes.String(r, "mode", "nearest") == "linear" && producers[r.Input[0]] == "DequantizeLinear");
        Assert.Contains(resizes, r => NodeAttributes.String(r, "mode", "nearest") == "nearest" && producers[r.Input[0]] != "DequantizeLinear");
    }

    private static Dictionary<string, TensorStatistics> CalibrateDense(QdqQuantizer quantizer)
    {
        using var session = Ort.Session(quantizer.CalibrationModel());
        var stats = quantizer.CalibrationTensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            var input = Ort.DeterministicInput(2 * 8, 100 + i).Select(v => (v * 4) - 2).ToArray();
            var outputs = Ort.Run(session, "x", input, [2, 8]);
            foreach (var (name, s) in stats)
            {
                s.Add(name == "x" ? input : outputs[name].Data);
            }
        }

        return stats;
    }

    [Fact]
    public void Gemm_matmul_and_where_fuse_into_qgemm_qlinearmatmul_and_qlinearwhere()
    {
        var path = QdqTestModels.Dense(dir);
        var q = QdqQuantizer.Prepare(path, new QuantizeOptions { Method = CalibrationMethod.MinMax });
        var built = q.Build(CalibrateDense(q), "test");
        var m = Parse(built);
        var report = Fusion(built.Bytes);

        // Calibration ran through all of them: every input and output of the three ops has statistics.
        Assert.Equal(["x", "r", "m", "small", "w", "h"], q.CalibrationTensors);
        Assert.Null(QuantizeOf(m, "g")); // Relu folds into the Gemm's output Q (ReluQuantFusion)
        Assert.Null(QuantizeOf(m, "pos")); // Where's bool condition stays as it is

        // Weights int8 per output column: Gemm with transB along axis 0 of W [6, 8], MatMul and Gemm without
        // transB along axis 1 of B [6, 5] and W2 [5, 3]; C int32 per column at x scale x W scale.
        void PerColumn(string weight, string quantized, int axis, int columns)
        {
            var dq = m.Graph.Node.Single(n => n.OpType == "DequantizeLinear" && n.Input[0] == quantized);
            Assert.Equal(axis, NodeAttributes.Int(dq, "axis", -1));
            Assert.Equal((int)OnnxElementType.Int8, m.Graph.Initializer.Single(t => t.Name == quantized).DataType);
            Assert.Equal(columns, m.Graph.Initializer.Single(t => t.Name == quantized + "_scale").FloatData.Count);
            Assert.DoesNotContain(m.Graph.Initializer, t => t.Name == weight);
        }

        PerColumn("W", "W_quantized", 0, 6);
        PerColumn("B", "B_axis1_quantized", 1, 5);
        PerColumn("W2", "W2_axis1_quantized", 1, 3);
        var c = m.Graph.Initializer.Single(t => t.Name.EndsWith("_C_quantized", StringComparison.Ordinal));
        Assert.Equal((int)OnnxElementType.Int32, c.DataType);
        var xScale = m.Graph.Initializer.Single(t => t.Name == "x_scale").FloatData[0];
        var wScales = m.Graph.Initializer.Single(t => t.Name == "W_quantized_scale").FloatData;
        Assert.Equal(wScales.Select(s => xScale * s), m.Graph.Initializer.Single(t => t.Name == c.Name + "_scale").FloatData);

        // What ONNX Runtime 1.31's CPU provider made of it.
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QGemm" && kv.Value == 2);
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "QLinearMatMul");
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearWhere");
        Assert.Contains(report.OptimizedOps, kv => kv.Key == "com.microsoft.QLinearMul");
        Assert.DoesNotContain(report.OptimizedOps, kv => kv.Key is "Gemm" or "MatMul" or "Where" or "Relu");
        Assert.True(report.LeftInFloat.Count == 0, string.Join("; ", report.LeftInFloat));

        // And the numbers stay close to FP32.
        using var fp32 = Ort.Session(path);
        using var int8 = Ort.Session(built.Bytes);
        var input = Ort.DeterministicInput(2 * 8, 103).Select(v => (v * 4) - 2).ToArray();
        var a = Ort.Run(fp32, "x", input, [2, 8])["y"].Data;
        var b = Ort.Run(int8, "x", input, [2, 8])["y"].Data;
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < 0.03, $"INT8 {string.Join(",", b)} vs FP32 {string.Join(",", a)}");
    }

    [Fact]
    public void Gemm_with_beta_other_than_one_stays_fp32()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Dense(dir, beta: 0.5f), new QuantizeOptions());

        Assert.Contains(q.Fp32Nodes, n => n.OpType == "Gemm" && n.Reason.Contains("beta", StringComparison.Ordinal));
        Assert.DoesNotContain("x", q.QuantizedActivations);
    }

    [Fact]
    public void Already_quantized_model_is_refused()
    {
        var q = QdqQuantizer.Prepare(QdqTestModels.Backbone(dir), new QuantizeOptions());
        var path = Path.Combine(dir, "qdq.onnx");
        File.WriteAllBytes(path, q.Build(Calibrate(q), "test").Bytes);

        var ex = Assert.Throws<OnnxModelException>(() => QdqQuantizer.Prepare(path, new QuantizeOptions()));
        Assert.Contains("already quantized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_data_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(QdqTestModels.Backbone(dir)));
        var w = model.Graph.Initializer.Single(t => t.Name == "w1");
        w.FloatData.Clear();
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var path = Path.Combine(dir, "external.onnx");
        OnnxModelFile.Save(model, path);

        var ex = Assert.Throws<OnnxModelException>(() => QdqQuantizer.Prepare(path, new QuantizeOptions()));
        Assert.Contains("external file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        var path = QdqTestModels.Backbone(dir);
        var a = QdqQuantizer.Prepare(path, new QuantizeOptions());
        var b = QdqQuantizer.Prepare(path, new QuantizeOptions());

        Assert.Equal(a.Build(Calibrate(a), "p").Bytes, b.Build(Calibrate(b), "p").Bytes);
    }

    [Fact]
    public void After_last_conv_tail_stays_fp32()
    {
        var path = Path.Combine(dir, "tail.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w", Enumerable.Repeat(0.1f, 2 * 3).ToArray(), 2, 3, 1, 1)
            .Conv("x", "w", null, "c")
            .Node("Sigmoid", ["c"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 2, 8, 8)
            .Save(path);

        var q = QdqQuantizer.Prepare(path, new QuantizeOptions { Tail = HeadTail.AfterLastConv });

        Assert.Equal(["x", "c"], q.QuantizedActivations);
        Assert.Contains(q.Fp32Nodes, n => n.OpType == "Sigmoid" && n.Reason.Contains("tail", StringComparison.Ordinal));
    }

    [Fact]
    public void Raw_head_tail_starts_at_the_dfl_logits()
    {
        // Output [1, 4+C, A] with C = 2, A = 3; the raw head is the one tensor [1, 64+C, A].
        var path = Path.Combine(dir, "dfl.onnx");
        new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 33, 3)
            .Initializer("w", Enumerable.Range(0, 33 * 33).Select(i => (i % 7) * 0.01f).ToArray(), 33, 33, 1)
            .Initializer("starts", [0L], 1)
            .Initializer("ends", [6L], 1)
            .Initializer("axes", [1L], 1)
            .Node("Conv", ["x", "w"], ["c"])
            .Concat("raw", 1, "c", "c")
            .Node("Slice", ["raw", "starts", "ends", "axes"], ["y"])
            .Output("y", OnnxElementType.Float, 1, 6, 3)
            .Save(path);

        var q = QdqQuantizer.Prepare(path, new QuantizeOptions { Tail = HeadTail.RawHeadBeforeDfl });

        // The Concat assembling the raw head from the Conv joins the FP32 tail; the Conv stays quantized.
        Assert.Equal(["x", "c"], q.QuantizedActivations);
        Assert.Contains(q.Fp32Nodes, n => n.OpType == "Slice");
        Assert.Contains(q.Fp32Nodes, n => n.OpType == "Concat" && n.Reason.Contains("tail", StringComparison.Ordinal));
    }

    private FusionReport Fusion(byte[] model) => FusionReport.Analyze(model, OptimizedPath(model));

    private ModelProto Optimized(byte[] model) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(OptimizedPath(model)));

    /// <summary>ONNX Runtime's optimized graph of <paramref name="model"/> (ORT_ENABLE_ALL, CPU), written to a file.</summary>
    private string OptimizedPath(byte[] model)
    {
        var optimized = Path.Combine(dir, $"optimized-{Guid.NewGuid():N}.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimized, IntraOpNumThreads = 1 })
        {
            using var session = new InferenceSession(model, options);
        }

        return optimized;
    }

    [Fact]
    public void The_quantizer_keeps_the_raw_head_chain_of_a_cut_graph_in_float()
    {
        OnnxGraphBuilder.Yolov8().Save(Path.Combine(dir, "yolo.onnx"));
        var cut = Path.Combine(dir, "cut.onnx");
        Yolov8TailCut.Cut(Path.Combine(dir, "yolo.onnx"), cut);

        var q = QdqQuantizer.Prepare(cut, new QuantizeOptions { Tail = HeadTail.RawHeadBeforeDfl });

        // Both level Conv stay quantized; the Reshapes and the Concat assembling the raw head stay FP32.
        Assert.Equal(["images", "map8", "map16"], q.QuantizedActivations);
        Assert.Equal(2, q.QuantizedNodeCount);
        Assert.Equal(["Reshape", "Reshape", "Concat"], q.Fp32Nodes.Select(n => n.OpType));
        Assert.All(q.Fp32Nodes, n => Assert.Contains("tail", n.Reason, StringComparison.Ordinal));
    }

}
