using System.Globalization;
using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// What an interleaved comparison measured: the per-round pairs, every request's time on each side, the ratio
/// B/A (per unit) with its interval and verdict, and how the run went (<see cref="RunConditions"/>).
/// </summary>
public sealed record ComparisonResult
{
    /// <summary>Side A's name (the base: ratios are B/A).</summary>
    public required string AName { get; init; }

    /// <summary>Side B's name.</summary>
    public required string BName { get; init; }

    /// <summary>Measured rounds in order.</summary>
    public required IReadOnlyList<RoundPair> Rounds { get; init; }

    /// <summary>Every measured request of side A, ms per request, in order.</summary>
    public required IReadOnlyList<double> ARequestMs { get; init; }

    /// <summary>Every measured request of side B.</summary>
    public required IReadOnlyList<double> BRequestMs { get; init; }

    /// <summary>B/A time per unit, paired over rounds (<see cref="PairedRatio"/>).</summary>
    public required RatioEstimate Ratio { get; init; }

    /// <summary>How the run the pair was taken from went: stop reason, seed, machine noise, block and warm-up sizes.</summary>
    public required RunConditions Conditions { get; init; }

    /// <summary>θ of the verdict.</summary>
    public double Threshold => Ratio.Threshold;

    /// <summary>Why it stopped, in words, e.g. "interval narrow enough (half-width 0.018 &lt;= θ/2 = 0.025) after 41 rounds".</summary>
    public string StopText() => Conditions.Stopped switch
    {
        StopReason.Narrow => string.Create(CultureInfo.InvariantCulture, $"stopping rule met: interval half-width {Ratio.HalfWidth:F3} <= θ/2 = {Threshold / 2:F3} after {Rounds.Count} rounds"),
        StopReason.MaxRounds => string.Create(CultureInfo.InvariantCulture, $"round limit: {Rounds.Count} rounds, interval half-width still {Ratio.HalfWidth:F3} > θ/2 = {Threshold / 2:F3}"),
        StopReason.TimeCap => string.Create(CultureInfo.InvariantCulture, $"time cap: {Conditions.Elapsed.TotalSeconds:F0} s after {Rounds.Count} rounds, interval half-width {Ratio.HalfWidth:F3} (θ/2 = {Threshold / 2:F3})"),
        StopReason.FixedRounds => string.Create(CultureInfo.InvariantCulture, $"fixed: {Rounds.Count} rounds as asked (no stopping rule)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"failures: {Conditions.DroppedRounds} rounds dropped for failed requests, {Rounds.Count} kept"),
    };

    /// <summary>One line for logs: ratio, interval, verdict, rounds, stop reason, seed.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{BName} / {AName}: {Ratio} (θ {Threshold:P0}); {Rounds.Count} rounds of {Conditions.BlockRequests} requests a side, {StopText()}; seed {Conditions.Seed}");
}
