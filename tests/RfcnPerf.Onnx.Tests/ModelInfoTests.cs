using System.Text.Json;

namespace RfcnPerf.Onnx.Tests;

public sealed class ModelInfoTests
{
    // 2 x multiply-adds per image of the 73 convolutions of the mirror's NanoDet file at 416 x 416. The file's
    // structure (ShuffleNetV2 1.0x, 96-channel PAN, 0.94 M parameters) is that of NanoDet-m, published at
    // about 1.2 GFLOPs for 416 x 416; the bounds allow for counting conventions (bias, activations), not for
    // a wrong shape, which would move the total by far more.
    private const double NanoDetGflopsMin = 1.10;
    private const double NanoDetGflopsMax = 1.25;

    [SkippableFact]
    public void NanoDetFp32_ReportsInterfaceOpsParametersAndFlops()
    {
        var info = ModelInfo.Read(TestModels.NanoDetFp32);

        var input = Assert.Single(info.Inputs);
        Assert.Equal("input.1 float32 [1,3,416,416]", input.ToString());
        Assert.Equal(158, info.InitializersListedAsInputs);
        Assert.Equal(info.InitializerCount, info.InitializersListedAsInputs);
        Assert.Equal(
            ["792 float32 [1,2704,80]", "814 float32 [1,676,80]", "836 float32 [1,169,80]", "795 float32 [1,2704,32]", "817 float32 [1,676,32]", "839 float32 [1,169,32]"],
            info.Outputs.Select(o => o.ToString()));
        Assert.Equal(11, info.Opsets.Single(o => o.Domain == "ai.onnx").Version);
        Assert.Equal("pytorch", info.ProducerName);
        Assert.Equal(225, info.NodeCount);
        Assert.Equal(info.NodeCount, info.OpHistogram.Sum(kv => kv.Value));
        Assert.Equal(new KeyValuePair<string, int>("Conv", 73), info.OpHistogram[0]);
        Assert.Equal(48, info.OpHistogram.Single(kv => kv.Key == "LeakyRelu").Value);
        Assert.Equal(941_863, info.ParameterCount);
        // float32 weights, 4 bytes each, plus the int64 Reshape shape constants (8 bytes per element).
        Assert.InRange(info.ParameterBytes, 4 * info.ParameterCount, (4 * info.ParameterCount) + 1024);
        Assert.Equal(QuantizationFormat.None, info.Quantization);
        Assert.False(info.BatchIsDynamic);

        Assert.True(info.Compute.Complete, string.Join(", ", info.Compute.UnresolvedNodes));
        Assert.InRange(info.Compute.FloatGflops, NanoDetGflopsMin, NanoDetGflopsMax);
        Assert.Equal(0, info.Compute.IntegerGops);
        Assert.Equal(73, Assert.Single(info.Compute.ByOp).Nodes);
    }

    [SkippableFact]
    public void NanoDetInt8_IsQOperatorWithTheSameConvWorkAsIntegerOps()
    {
        var fp32 = ModelInfo.Read(TestModels.NanoDetFp32);
        var int8 = ModelInfo.Read(TestModels.NanoDetInt8);

        Assert.Equal(QuantizationFormat.QOperator, int8.Quantization);
        Assert.Equal("input.1 float32 [1,3,416,416]", Assert.Single(int8.Inputs).ToString());
        Assert.Equal(12, int8.InitializersListedAsInputs);
        Assert.Equal(73, int8.OpHistogram.Single(kv => kv.Key == "QLinearConv").Value);
        Assert.Equal(48, int8.OpHistogram.Single(kv => kv.Key == "com.microsoft.QLinearLeakyRelu").Value);
        Assert.Equal(0, int8.Compute.FloatGflops);
        var qconv = Assert.Single(int8.Compute.ByOp);
        Assert.True(qconv.Integer);
        Assert.Equal(fp32.Compute.FloatGflops, int8.Compute.IntegerGops, precision: 9);

        // Weights are int8 (1 byte) where FP32 had 4; scales and zero points add a little.
        Assert.InRange(int8.ParameterBytes, fp32.ParameterBytes / 4, fp32.ParameterBytes / 3);
    }

    [Fact]
    public void Flops_OfEachCountedOp_MatchHandComputedValues()
    {
        var builder = new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w", new float[4 * 3 * 3 * 3], 4, 3, 3, 3)
            .Initializer("dw", new float[4 * 1 * 3 * 3], 4, 1, 3, 3)
            .Initializer("tw", new float[4 * 2 * 3 * 3], 4, 2, 3, 3)
            .Initializer("mb", new float[16 * 7], 16, 7)
            .Initializer("gb", new float[64 * 10], 64, 10)
            .Initializer("flat", [1, 64], 2)
            // [1,3,8,8] * [4,3,3,3], pad 1 -> [1,4,8,8]: 2 * 256 outputs * 27 = 13,824
            .Conv("x", "w", null, "c1", pad: 1)
            // depthwise, stride 2 -> [1,4,4,4]: 2 * 64 * 9 = 1,152
            .Conv("c1", "dw", null, "c2", stride: 2, pad: 1, group: 4)
            // [1,4,4,4] -> ConvTranspose stride 2, kernel 3 -> [1,2,9,9]: 2 * 64 inputs * (2*3*3) = 2,304
            .Node("ConvTranspose", ["c2", "tw"], ["c3"], OnnxAttribute.Ints("strides", 2, 2))
            // [1,2,9,9] -> Slice to [1,2,8,8] -> reshape [1,8,16] @ [16,7] -> [1,8,7]: 2 * 56 * 16 = 1,792
            .Initializer("s0", [0L, 0L], 2)
            .Initializer("s1", [8L, 8L], 2)
            .Initializer("sa", [2L, 3L], 2)
            .Node("Slice", ["c3", "s0", "s1", "sa"], ["c4"])
            .Initializer("r", [1L, 8L, 16L], 3)
            .Reshape("c4", "r", "c5")
            .Node("MatMul", ["c5", "mb"], ["m"])
            // c2 [1,4,4,4] flattened to [1,64] for the Gemm.
            .Reshape("c2", "flat", "g_in")
            // [1,64] x [64,10] -> [1,10]: 2 * 10 * 64 = 1,280
            .Node("Gemm", ["g_in", "gb"], ["g"])
            .Output("m", OnnxElementType.Float, 1, 8, 7)
            .Output("g", OnnxElementType.Float, 1, 10);

        var compute = Info(builder).Compute;

        Assert.True(compute.Complete, string.Join(", ", compute.UnresolvedNodes));
        Assert.Equal((13_824 + 1_152) * 1e-9, compute.ByOp.Single(o => o.OpType == "Conv").GigaOps, precision: 15);
        Assert.Equal(2, compute.ByOp.Single(o => o.OpType == "Conv").Nodes);
        Assert.Equal(2_304 * 1e-9, compute.ByOp.Single(o => o.OpType == "ConvTranspose").GigaOps, precision: 15);
        Assert.Equal(1_792 * 1e-9, compute.ByOp.Single(o => o.OpType == "MatMul").GigaOps, precision: 15);
        Assert.Equal(1_280 * 1e-9, compute.ByOp.Single(o => o.OpType == "Gemm").GigaOps, precision: 15);
    }

    [Fact]
    public void SymbolicImageSize_IsReportedUnresolvedUntilBound()
    {
        var builder = new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, "N", 3, "H", "W")
            .Initializer("w", new float[8 * 3 * 3 * 3], 8, 3, 3, 3)
            .Conv("x", "w", null, "y", pad: 1)
            .Output("y", OnnxElementType.Float, "N", 8, "H", "W");

        var unbound = Info(builder);
        Assert.Equal("x float32 [N,3,H,W]", unbound.Inputs[0].ToString());
        Assert.True(unbound.BatchIsDynamic);
        Assert.False(unbound.Compute.Complete);
        Assert.Contains("unresolved", unbound.Format(), StringComparison.Ordinal);

        var bound = Info(builder, new Dictionary<string, long> { ["H"] = 10, ["W"] = 20 });
        Assert.True(bound.Compute.Complete);
        Assert.Equal(["H=10", "N=1", "W=20"], bound.Compute.Bindings);
        Assert.Equal(2.0 * 8 * 10 * 20 * 27 * 1e-9, bound.Compute.FloatGflops, precision: 15);
    }

    [SkippableFact]
    public void FormatAndJson_CarryTheReport()
    {
        var info = ModelInfo.Read(TestModels.NanoDetInt8);

        var text = info.Format();
        Assert.Contains("input.1 float32 [1,3,416,416]", text, StringComparison.Ordinal);
        Assert.Contains("(+12 initializers also listed as graph inputs", text, StringComparison.Ordinal);
        Assert.Contains("QOperator", text, StringComparison.Ordinal);
        Assert.Contains("GOPs (integer)", text, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(info.ToJson());
        var root = json.RootElement;
        Assert.Equal(info.Sha256, root.GetProperty("sha256").GetString());
        Assert.Equal(234, root.GetProperty("nodeCount").GetInt32());
        Assert.Equal(73, root.GetProperty("opHistogram").GetProperty("QLinearConv").GetInt32());
        Assert.Equal(416, root.GetProperty("inputs")[0].GetProperty("shape")[3].GetInt64());
        Assert.Equal(info.Compute.IntegerGops, root.GetProperty("compute").GetProperty("integerGopsPerImage").GetDouble());
        Assert.Equal("QOperator", root.GetProperty("quantization").GetString());
    }

    [Fact]
    public void ExternalData_IsCountedFromDims()
    {
        var model = OnnxModelFile.Parse(new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, 1, 4)
            .Initializer("w", new float[4], 4)
            .Add("x", "w", "y")
            .Output("y", OnnxElementType.Float, 1, 4)
            .ToBytes(), "memory");
        MakeExternal(model.Graph.Initializer[0]);

        var info = ModelInfo.Create(model, "memory", 0, "", null);

        Assert.Equal(1, info.ExternalTensors);
        Assert.Equal(4, info.ParameterCount);
        Assert.Equal(16, info.ParameterBytes);
    }

    internal static void MakeExternal(Proto.TensorProto tensor)
    {
        tensor.FloatData.Clear();
        tensor.DataLocation = Proto.TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new Proto.StringStringEntryProto { Key = "location", Value = "weights.bin" });
    }

    private static ModelInfo Info(OnnxGraphBuilder builder, IReadOnlyDictionary<string, long>? dims = null) =>
        ModelInfo.Create(OnnxModelFile.Parse(builder.ToBytes(), "memory"), "memory", 0, "", dims);
}
