using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Profiling;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class OperatorProfileTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    // Two runs; run 1 has two kernels, run 2 one; a Node event that is not a kernel and a fence are ignored.
    private const string Trace = """
        [
        {"cat":"Session","pid":1,"tid":1,"dur":5000,"ts":10,"ph":"X","name":"session_initialization","args":{}},
        {"cat":"Session","pid":1,"tid":1,"dur":1000,"ts":100,"ph":"X","name":"model_run","args":{}},
        {"cat":"Node","pid":1,"tid":1,"dur":0,"ts":110,"ph":"X","name":"conv1_fence_before","args":{"op_name":"Conv"}},
        {"cat":"Node","pid":1,"tid":1,"dur":600,"ts":120,"ph":"X","name":"y_nchwc_kernel_time","args":{"op_name":"Conv","activation_size":"400","parameter_size":"100","output_size":"500","provider":"CPUExecutionProvider"}},
        {"cat":"Node","pid":1,"tid":1,"dur":200,"ts":800,"ph":"X","name":"act_kernel_time","args":{"op_name":"QLinearSigmoid","activation_size":"10","parameter_size":"0","output_size":"10"}},
        {"cat":"Session","pid":1,"tid":1,"dur":800,"ts":2000,"ph":"X","name":"model_run","args":{}},
        {"cat":"Node","pid":1,"tid":1,"dur":700,"ts":2010,"ph":"X","name":"y_nchwc_kernel_time","args":{"op_name":"Conv","activation_size":"400","parameter_size":"100","output_size":"500"}}
        ]
        """;

    [Fact]
    public void The_trace_is_split_into_runs_with_their_kernels()
    {
        var trace = OrtTrace.Parse(Trace);

        Assert.Equal([1000L, 800L], trace.Runs.Select(r => r.DurationUs));
        Assert.Equal(["y_nchwc", "act"], trace.Runs[0].Kernels.Select(k => k.Node));
        Assert.Equal(["y_nchwc"], trace.Runs[1].Kernels.Select(k => k.Node));
        Assert.Equal((400L, 100L, 500L), (trace.Runs[0].Kernels[0].ActivationBytes, trace.Runs[0].Kernels[0].ParameterBytes, trace.Runs[0].Kernels[0].OutputBytes));
        Assert.Equal("CPUExecutionProvider", trace.Runs[0].Kernels[0].Provider);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("""[{"cat":"Session","name":"model_run","ts":1}]""", "\"dur\"")]
    public void A_malformed_trace_names_what_is_wrong(string json, string expected)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => OrtTrace.Parse(json, "t.json"));
        Assert.Contains("t.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_profile_joins_kernel_times_with_flops_by_node_name_and_nchwc_output_name()
    {
        TestPaths.RequireNanodet();
        var trace = OrtTrace.Parse(Trace);
        var compute = RfcnPerf.Onnx.ModelInfo.Read(MirrorModels.NanodetFp32Path).Compute;

        // A synthetic estimate: the Conv named by its output "y" (as ORT's NCHWc pass names it) costs 0.65 G ops.
        var estimate = new[] { new RfcnPerf.Onnx.NodeCompute("conv1", "y", "Conv", 0.65, false) };
        var peaks = new PeakInForce(1000, 4000, 50, "test", Peaks());
        var profile = OperatorProfile.Build("m", "m.onnx", new ProfileOptions { TraceDir = temp.Path, Batch = 2 }, trace.Runs, [1.0, 1.0],
            estimate, compute.TotalGigaOps, peaks, cores: 1, physicalCores: 2, "t.json", "intra=0");

        // Conv: (0.6 + 0.7) / 2 runs = 0.65 ms per run for 2 x 0.65 G ops = 2000 G ops/s = 400% of 1 core's 500.
        var conv = Assert.Single(profile.ByOpType, r => r.OpType == "Conv");
        Assert.Equal(0.65, conv.MeanMs, 9);
        Assert.Equal(1.3, conv.GigaOps!.Value, 9);
        Assert.Equal(2000, conv.GigaOpsPerSecond!.Value, 6);
        Assert.Equal(400, conv.PercentOfPeak!.Value, 6);
        Assert.Equal(1.3e9 / 1000, conv.Intensity!.Value, 6);

        // The integer activation is compared with the INT8 peak and has no FLOP estimate.
        var act = Assert.Single(profile.ByOpType, r => r.OpType == "QLinearSigmoid");
        Assert.True(act.Integer);
        Assert.Null(act.GigaOps);
        Assert.Equal(0.1, act.MeanMs, 9);

        Assert.Equal(0.75, profile.KernelSumMs, 9);
        Assert.Equal(0.9, profile.ProfiledRunMs, 9);
        Assert.Equal(0.15, profile.OutsideKernelsMs, 9);
        Assert.Equal(0.75, profile.KernelSumOverModelCall, 9);
        Assert.Equal(0.65 / 0.75, conv.Share, 9);
    }

    /// <summary>
    /// NanoDet under the real profiler: every Conv's FLOPs are found by name, so the joined operations equal the
    /// model's estimate, and the trace holds a warm-up block plus the requested runs (rounded up to a block).
    /// </summary>
    [SkippableFact]
    public void Profiling_nanodet_joins_every_counted_node()
    {
        TestPaths.RequireNanodet();
        var peaks = new PeakInForce(1000, 4000, 50, "test", Peaks());
        var profile = OperatorProfiler.Run(MirrorModels.NanodetFp32Path, "nanodet", new ProfileOptions { Runs = 2, TraceDir = temp.Path }, peaks, MachineInfo.Current());

        // Two runs asked for: rounded up to one block of the interleaved runner.
        Assert.Equal(Comparison.ComparisonOptions.MinBlockRequests, profile.Runs);
        Assert.Equal(Comparison.ComparisonOptions.MinBlockRequests, profile.ModelCall.Count);
        Assert.True(File.Exists(profile.TracePath), profile.TracePath);
        Assert.StartsWith(temp.Path, profile.TracePath, StringComparison.Ordinal);
        Assert.Equal(profile.ModelGigaOps, profile.MatchedGigaOps, 6);
        Assert.Contains(profile.ByOpType, r => r.OpType == "Conv" && r.GigaOps > 0);
        Assert.InRange(profile.KernelSumMs, 0.01, profile.ProfiledRunMs);
    }

    [Theory]
    [InlineData("Conv_0_quant_token_27", "Conv_0_quant")]
    [InlineData("ReorderInput_token_53", "ReorderInput")]
    [InlineData("/model.0/conv/Conv", "/model.0/conv/Conv")]
    [InlineData("a_token_", "a_token_")]
    [InlineData("a_token_x1", "a_token_x1")]
    public void Ort_unique_name_tokens_are_stripped_for_the_flop_join(string node, string expected) =>
        Assert.Equal(expected, OperatorProfile.WithoutToken(node));

    [Theory]
    [InlineData("QLinearConv", "Conv")]
    [InlineData("FusedConv", "Conv")]
    [InlineData("ConvInteger", "Conv")]
    [InlineData("QLinearConcat", "Concat")]
    [InlineData("NhwcMaxPool", "MaxPool")]
    [InlineData("MatMulIntegerToFloat", "MatMul")]
    [InlineData("Softmax", "Softmax")]
    public void Operators_compare_whatever_their_precision_or_fusion(string opType, string expected) =>
        Assert.Equal(expected, OperatorProfile.Canonical(opType));

    private static MachinePeaks Peaks() => new()
    {
        CpuModel = "test",
        Threads = 2,
        PhysicalCores = 2,
        TriadGBps = 50,
        TriadGBpsOneCore = 25,
        TriadElements = 1,
        MeasuredUtc = DateTime.UnixEpoch,
    };
}
