namespace RfcnPerf.Quantization;

/// <summary>How a tensor's calibration statistics become its quantization range.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,

    /// <summary>Clip the two tails: the (100 - P) and P percentiles of the observed values.</summary>
    Percentile,

    /// <summary>The magnitude threshold that minimises the KL divergence between the histogram and its 128-level quantization (TensorRT / ORT calibrate.py).</summary>
    Entropy,
}
