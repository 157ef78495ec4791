using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// Everything an interleaved run of several sides measured: per round, every side's block (mean ms per unit) and
/// where it ran in the round; every request's time per side; how the run went (<see cref="RunConditions"/>).
/// Any two sides were measured in every round, so <see cref="Pair"/> gives a paired comparison of any two.
/// </summary>
public sealed record InterleavedRun
{
    // The bootstrap seed of a pair derives from the run's seed, so one logged number reproduces everything.
    private const ulong BootstrapSalt = 0x5DEECE66DUL;

    /// <summary>The sides' names, in the order given.</summary>
    public required IReadOnlyList<string> Sides { get; init; }

    /// <summary>Per measured round: each side's mean milliseconds per unit over its block.</summary>
    public required IReadOnlyList<double[]> RoundMsPerUnit { get; init; }

    /// <summary>Per measured round: each side's position in the round (0 = its block ran first).</summary>
    public required IReadOnlyList<int[]> RoundPositions { get; init; }

    /// <summary>Every measured request of each side, ms per request, in order.</summary>
    public required IReadOnlyList<IReadOnlyList<double>> RequestMs { get; init; }

    /// <summary>How the run went: stop reason, seed, machine noise, block and warm-up sizes, dropped rounds, wall time.</summary>
    public required RunConditions Conditions { get; init; }

    /// <summary>θ of the verdicts.</summary>
    public required double Threshold { get; init; }

    /// <summary>Side <paramref name="b"/> against side <paramref name="a"/>, paired over the rounds.</summary>
    public ComparisonResult Pair(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, Sides.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, Sides.Count);
        var rounds = RoundMsPerUnit.Select((ms, i) => new RoundPair(ms[a], ms[b], RoundPositions[i][a] < RoundPositions[i][b])).ToList();
        return new ComparisonResult
        {
            AName = Sides[a],
            BName = Sides[b],
            Rounds = rounds,
            ARequestMs = RequestMs[a],
            BRequestMs = RequestMs[b],
            Ratio = Estimate(rounds, PairSeed(Conditions.Seed, a, b), Threshold),
            Conditions = Conditions,
        };
    }

    /// <summary>The paired ratio B/A of <paramref name="rounds"/>; no ratio when a block took no measurable time.</summary>
    internal static RatioEstimate Estimate(IReadOnlyList<RoundPair> rounds, ulong seed, double threshold) =>
        rounds.All(r => r.AMsPerUnit > 0 && r.BMsPerUnit > 0)
            ? PairedRatio.Estimate([.. rounds.Select(r => r.AMsPerUnit)], [.. rounds.Select(r => r.BMsPerUnit)], seed, threshold)
            : RatioEstimate.None("no ratio: a side's block took no measurable time", threshold);

    /// <summary>The bootstrap seed <see cref="Pair"/> uses for (a, b), for the stopping rule's interim estimates.</summary>
    internal static ulong PairSeed(ulong seed, int a, int b) => seed ^ BootstrapSalt ^ (((ulong)a << 32) | (uint)b);
}
