namespace RfcnPerf.Bench.Reporting;

/// <summary>The same measurement of one model in FP32 and INT8.</summary>
internal sealed record PrecisionPair(CaseResult Fp32, CaseResult Int8)
{
    /// <summary>FP32 mean time / INT8 mean time: above 1 means INT8 is faster.</summary>
    public double SpeedUp => Fp32.MeanMs / Int8.MeanMs;

    /// <summary>FP32 median / INT8 median.</summary>
    public double MedianSpeedUp => Fp32.P50Ms / Int8.P50Ms;
}
