using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Assets;

namespace RfcnPerf.Quantization.Tests;

/// <summary>The derived INT8 model's cache key changes with everything that changes its bytes.</summary>
public sealed class QuantizedModelBuilderTests
{
    [Fact]
    public void Cache_key_holds_the_options_the_quantizer_and_the_onnx_runtime_version()
    {
        var key = new QuantizedModelBuilder().KeyInputs(ModelCatalog.Find("yolov8n-int8")!);

        Assert.Contains(QuantizedModelBuilder.DefaultOptions.Describe(), key, StringComparison.Ordinal);
        Assert.Contains("\nquantizer v", key, StringComparison.Ordinal);
        Assert.EndsWith($"\nonnxruntime {OrtEnv.Instance().GetVersionString()}", key, StringComparison.Ordinal);
    }
}
