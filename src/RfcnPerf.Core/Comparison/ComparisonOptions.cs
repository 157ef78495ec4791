using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Comparison;

/// <summary>How <see cref="InterleavedRunner"/> measures: block size, rounds, the stopping rule, the seed.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Fewest requests per block (a side's turn within a round).</summary>
    public const int MinBlockRequests = 5;

    /// <summary>Requests per block (at least <see cref="MinBlockRequests"/>).</summary>
    public int BlockRequests { get; init; } = MinBlockRequests;

    /// <summary>Unmeasured rounds first (each side runs one block per round).</summary>
    public int WarmupRounds { get; init; } = 1;

    /// <summary>
    /// Measured rounds before the stopping rule is first asked (a verdict needs <see cref="VerdictRule.MinRounds"/>).
    /// </summary>
    public int MinRounds { get; init; } = VerdictRule.MinRounds;

    /// <summary>Most measured rounds; the run stops there even when the interval is still wide.</summary>
    public int MaxRounds { get; init; } = 200;

    /// <summary>
    /// Exactly this many measured rounds, no stopping rule (the time cap still applies); null = run until the
    /// ratio's interval half-width is at most θ/2 (<see cref="VerdictRule.NarrowEnough"/>).
    /// </summary>
    public int? FixedRounds { get; init; }

    /// <summary>Wall-time cap of the measured rounds (warm-up and settling included).</summary>
    public TimeSpan TimeCap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>θ of the verdict and of the stopping rule.</summary>
    public double Threshold { get; init; } = VerdictRule.DefaultThreshold;

    /// <summary>Seed of the round orders and of the bootstrap; null draws one (it is reported either way).</summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// Longest wait, before each block, for the previous block's idle ONNX Runtime threads to stop spinning
    /// (<see cref="ThreadSettler"/>); zero turns settling off.
    /// </summary>
    public TimeSpan SettleCap { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock requests and the time cap are read from (tests give a fake one).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Checks the values; throws <see cref="RfcnPerfException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (BlockRequests < MinBlockRequests)
        {
            throw new RfcnPerfException($"a comparison block needs at least {MinBlockRequests} requests, got {BlockRequests}");
        }

        if (FixedRounds is < 1)
        {
            throw new RfcnPerfException($"a comparison needs at least 1 round, got {FixedRounds}");
        }

        if (FixedRounds is null && (MinRounds < 1 || MaxRounds < MinRounds))
        {
            throw new RfcnPerfException($"comparison rounds: need 1 <= min ({MinRounds}) <= max ({MaxRounds})");
        }

        if (WarmupRounds < 0)
        {
            throw new RfcnPerfException($"warm-up rounds must be at least 0, got {WarmupRounds}");
        }

        if (!(Threshold > 0 && Threshold < 1))
        {
            throw new RfcnPerfException($"the threshold must lie between 0 and 1 (0.05 = 5%), got {Threshold}");
        }
    }
}
