using RfcnPerf.Core.Comparison;
using RfcnPerf.Statistics;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>
/// The best configuration of a variant for latency or throughput, claimed only over the configurations it was
/// decided against: each other candidate is paired with the best in the same rounds, and only a "slower" verdict
/// counts as beaten; "same" and "unknown" are ties, named.
/// </summary>
/// <param name="Best">The candidate with the lowest time per image relative to the default.</param>
/// <param name="Others">Every other candidate with its time per image against the best's (B = the other).</param>
internal sealed record BestChoice(Candidate Best, IReadOnlyList<(Candidate Other, ComparisonResult VsBest)> Others)
{
    /// <summary>Candidates the best was decided faster than.</summary>
    public IEnumerable<(Candidate Other, ComparisonResult VsBest)> Beaten => Others.Where(o => o.VsBest.Ratio.Verdict == Verdict.Slower);

    /// <summary>Candidates not decided slower than the best: ties (same, or not decided).</summary>
    public IEnumerable<(Candidate Other, ComparisonResult VsBest)> Ties => Others.Where(o => o.VsBest.Ratio.Verdict != Verdict.Slower);

    /// <summary>Picks among <paramref name="candidates"/> (at least one) of <paramref name="run"/>, by time per image.</summary>
    public static BestChoice Pick(InterleavedRun run, IReadOnlyList<Candidate> candidates)
    {
        var reference = candidates[0].Side;
        var best = candidates.MinBy(c => c.Side == reference ? 1 : run.Pair(reference, c.Side).Ratio.Ratio)!;
        return new BestChoice(best, [.. candidates.Where(c => c != best).Select(c => (c, run.Pair(best.Side, c.Side)))]);
    }
}
