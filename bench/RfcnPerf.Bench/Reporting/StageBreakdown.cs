namespace RfcnPerf.Bench.Reporting;

/// <summary>Mean ms per image of each stage of a request, measured separately, and of the whole request.</summary>
internal sealed record StageBreakdown(
    Profiles.ModelVariant Variant,
    double DecodeMs,
    double PreprocessMs,
    double InferenceMs,
    double PostprocessMs,
    double EndToEndMs,
    double InferenceP50Ms,
    double EndToEndP50Ms)
{
    /// <summary>Share of the end-to-end time spent outside the model (1 - inference / end to end, means).</summary>
    public double OutsideModelShare => 1 - (InferenceMs / EndToEndMs);
}
