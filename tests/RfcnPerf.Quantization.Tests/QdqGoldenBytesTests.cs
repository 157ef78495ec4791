using System.Security.Cryptography;
using RfcnPerf.Onnx;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization.Tests;

/// <summary>
/// The bytes the quantizer writes for fixed ranges on small graphs, pinned by sha256 per pattern and option: the
/// yolov8n pin (<see cref="QuantizedYolov8nPinTests"/>) covers Conv, the fused activations, the shared-scale data
/// movement, Concat groups, Sigmoid, Mul and Add; these also cover Gemm (int32 C, both transB), MatMul, Where, float
/// constants of binary ops, int8 activations, per-tensor weights, the opset 11 upgrade, the stem and exclusion
/// rules and both tails. The hashes were recorded from the quantizer before its plan and emitters were split
/// (commit "pin the quantizer's bytes on small graphs"), so any change of placement, naming, order or arithmetic fails here.
/// </summary>
public sealed class QdqGoldenBytesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-qdq-golden-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string, string> Cases => new()
    {
        { "backbone", "bd3a79b840397674dbe1139b4ff51e0a762d9d69d3c18e37c79bce97de74cac7" },
        { "backbone-s8-per-tensor-own-concat", "021da08bab7eaa1015e03006ccc83c5f414e374d2df6174e779a525b18cd517d" },
        { "backbone-opset11-initializers-as-inputs", "1f486909bc03fac995aaef8bd6459c221f20ff0532e3423b4b7fb4e7f3722b55" },
        { "backbone-opset11-per-tensor", "11d3fb7f709c599e72b2c8a504ccf7273d45e77d4143111753de34b86bcf1d0d" },
        { "backbone-stem-fp32-exclude-sigmoid", "546653f73ada66f7dde4065962dc0a7378a8297fa6fdb191517ecf99f52cd108" },
        { "backbone-after-last-conv", "73c3a216348c56a94c69f7eb2025a6d8ba01ae0072cc3ec14fd8fcc355fb96ef" },
        { "dense", "101c319328050883fa1a433fe6c4d0dfdf84809c06038df3468cdbeb39a2b9f1" },
        { "dense-s8-per-tensor", "5d026a32ed7fcd6bd7f95d0a082fee8d996b29f6a184d733dbff3f715d3e6a95" },
        { "two-range-concat", "a6ad1dd52fca7cc7064262ef6f8f91ca47a6de32397f2d9607a00b6073976c8b" },
        { "yolov8-cut-raw-head", "a96afcfe772cb4ca9db14d454f69d62a1fd4237b6461144937eafd30905ef30d" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quantized_bytes_for_fixed_ranges_are_pinned(string name, string sha256)
    {
        var (path, options) = Case(name);
        var quantizer = QdqQuantizer.Prepare(path, options);
        var built = quantizer.BuildFromRanges(SyntheticRanges(quantizer.CalibrationTensors), "golden");

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(built.Bytes)));
    }

    private (string Path, QuantizeOptions Options) Case(string name) => name switch
    {
        "backbone" => (QdqTestModels.Backbone(dir), new QuantizeOptions()),
        "backbone-s8-per-tensor-own-concat" => (QdqTestModels.Backbone(dir), new QuantizeOptions { UnsignedActivations = false, PerChannel = false, ConcatSharesScale = false }),
        "backbone-opset11-initializers-as-inputs" => (QdqTestModels.Backbone(dir, initializersAsInputs: true, opset: 11), new QuantizeOptions()),
        "backbone-opset11-per-tensor" => (QdqTestModels.Backbone(dir, opset: 11), new QuantizeOptions { PerChannel = false }),
        "backbone-stem-fp32-exclude-sigmoid" => (QdqTestModels.Backbone(dir), new QuantizeOptions { KeepStemFp32 = true, Exclude = ["Sigmoid"] }),
        "backbone-after-last-conv" => (QdqTestModels.Backbone(dir), new QuantizeOptions { Tail = HeadTail.AfterLastConv }),
        "dense" => (QdqTestModels.Dense(dir), new QuantizeOptions()),
        "dense-s8-per-tensor" => (QdqTestModels.Dense(dir), new QuantizeOptions { UnsignedActivations = false, PerChannel = false }),
        "two-range-concat" => (QdqTestModels.TwoRangeConcat(dir), new QuantizeOptions()),
        "yolov8-cut-raw-head" => (CutYolov8(), new QuantizeOptions { Tail = HeadTail.RawHeadBeforeDfl }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    private string CutYolov8()
    {
        OnnxGraphBuilder.Yolov8().Save(Path.Combine(dir, "yolo.onnx"));
        var cut = Path.Combine(dir, "cut.onnx");
        Yolov8TailCut.Cut(Path.Combine(dir, "yolo.onnx"), cut);
        return cut;
    }

    /// <summary>
    /// Ranges that need no ONNX Runtime (so the bytes are the same on every CPU): exact binary fractions that differ
    /// per tensor, every fifth one constant zero (the degenerate scale).
    /// </summary>
    private static Dictionary<string, (double Lo, double Hi)> SyntheticRanges(IReadOnlyList<string> tensors) =>
        tensors.Select((t, i) => (t, i)).ToDictionary(
            x => x.t,
            x => x.i % 5 == 4 ? (0d, 0d) : (-0.5 - (0.125 * x.i), 1.0 + (0.375 * x.i)),
            StringComparer.Ordinal);
}
