namespace RfcnPerf.Core.Pipeline;

/// <summary>Milliseconds spent in each stage of one batch (one <c>Run</c>).</summary>
public readonly record struct StageTimes(double DecodeMs, double PreprocessMs, double InferenceMs, double PostprocessMs)
{
    /// <summary>Decode + pre-process + inference + post-process.</summary>
    public double TotalMs => DecodeMs + PreprocessMs + InferenceMs + PostprocessMs;
}
