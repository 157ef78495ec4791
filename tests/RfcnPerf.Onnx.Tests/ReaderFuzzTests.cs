using System.Security.Cryptography;
using RfcnPerf.Testing.Fuzzing;
using Xunit.Abstractions;

namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// Mutated small ONNX graphs through everything that reads a model file (protobuf parse and validation, model info
/// with shape inference and compute estimate, both report formats, the batchify rewrite): each input is a model or
/// an <see cref="OnnxModelException"/>, within the time and allocation bounds of <see cref="MutationFuzz"/>.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 2000;


    [Fact]
    public void Mutated_models_read_or_raise_OnnxModelException()
    {
        var (parsed, rejected) = MutationFuzz.Check<OnnxModelException>(
            "onnx", [.. OnnxSeeds.All().Values], ReadModel, MutationFuzz.Iterations(Inputs));
        output.WriteLine($"onnx: {parsed + rejected} inputs, {parsed} read, {rejected} rejected with OnnxModelException");
    }

    /// <summary>What <c>rfcnperf model info</c> and batchify do with a file, from its bytes.</summary>
    internal static void ReadModel(byte[] bytes)
    {
        var model = OnnxModelFile.Parse(bytes, "fuzz.onnx");
        var info = ModelInfo.Create(model, "fuzz.onnx", bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), null);
        _ = info.Format();
        _ = info.ToJson();
        _ = BatchRewriter.Rewrite(model, "fuzz.onnx");
    }
}
