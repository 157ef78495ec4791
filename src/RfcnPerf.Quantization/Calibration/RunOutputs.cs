using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Quantization.Calibration;

/// <summary>One model's outputs for the current image (and the image tensor itself under its input name), valid during the callback only.</summary>
internal sealed class RunOutputs(string[] names, IReadOnlyList<OrtValue> values, string inputName, float[] input)
{
    /// <summary>Whether <paramref name="name"/> is an output of the model or its input.</summary>
    public bool Has(string name) => name == inputName || Array.IndexOf(names, name) >= 0;

    /// <summary>The values of output (or input) <paramref name="name"/>.</summary>
    public ReadOnlySpan<float> Get(string name) =>
        name == inputName ? input : values[Array.IndexOf(names, name)].GetTensorDataAsSpan<float>();
}
