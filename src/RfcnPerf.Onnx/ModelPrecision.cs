namespace RfcnPerf.Onnx;

/// <summary>The numeric precision a model runs its heavy operators in.</summary>
public enum ModelPrecision
{
    /// <summary>32-bit float weights and activations.</summary>
    FP32,

    /// <summary>8-bit integer weights and activations (any <see cref="QuantizationFormat"/> but None).</summary>
    INT8,
}
