namespace RfcnPerf.Accuracy;

/// <summary>
/// One model against a baseline (INT8 against its FP32 model, or any run against the first): stat deltas
/// and latency ratios. Negative deltas mean the candidate scores lower.
/// </summary>
/// <param name="Baseline">Label of the baseline run.</param>
/// <param name="Candidate">Label of the compared run.</param>
/// <param name="StatDeltas">candidate - baseline for each of the 12 stats.</param>
/// <param name="ApRelativeChange">AP delta as a fraction of the baseline's AP.</param>
/// <param name="InferenceP50Ratio">candidate p50 / baseline p50 of the model call (&gt; 1: candidate slower); null without latency.</param>
/// <param name="EndToEndP50Ratio">The same end to end.</param>
/// <param name="ImagesPerSecondRatio">candidate / baseline end-to-end images/s (&gt; 1: candidate faster).</param>
public sealed record RunComparison(
    string Baseline,
    string Candidate,
    IReadOnlyList<double> StatDeltas,
    double ApRelativeChange,
    double? InferenceP50Ratio,
    double? EndToEndP50Ratio,
    double? ImagesPerSecondRatio)
{
    /// <summary>
    /// Paired-bootstrap intervals over images of the stat deltas and per-class AP deltas (<see cref="AccuracyBootstrap"/>),
    /// when both runs' results files could be evaluated together.
    /// </summary>
    public AccuracyBootstrap.Result? Intervals { get; init; }

    /// <summary>Compares <paramref name="candidate"/> with <paramref name="baseline"/>.</summary>
    public static RunComparison Of(LabeledRun baseline, LabeledRun candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var b = baseline.Run;
        var c = candidate.Run;
        var deltas = b.Stats.Zip(c.Stats, (x, y) => y - x).ToArray();
        double? Ratio(Func<LatencyFigures, double> f) =>
            b.Latency is { } lb && c.Latency is { } lc ? f(lc) / f(lb) : null;
        return new RunComparison(
            baseline.Label,
            candidate.Label,
            deltas,
            b.AP > 0 ? (c.AP - b.AP) / b.AP : double.NaN,
            Ratio(l => l.Inference.P50Ms),
            Ratio(l => l.EndToEnd.P50Ms),
            Ratio(l => l.EndToEndImagesPerSecond));
    }
}
