using RfcnPerf.Core.Machine;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// How an interleaved run went, the same for the whole run (<see cref="InterleavedRun"/>) and for every pair taken
/// from it (<see cref="ComparisonResult"/>): why it stopped, its seed, the machine's noise meanwhile, the block and
/// warm-up sizes, the rounds dropped, the blocks that started unsettled and the wall time.
/// </summary>
public sealed record RunConditions
{
    /// <summary>Why measuring stopped.</summary>
    public required StopReason Stopped { get; init; }

    /// <summary>Seed of the round orders (each pair's bootstrap seed derives from it).</summary>
    public required ulong Seed { get; init; }

    /// <summary>Machine noise over the whole run (warm-up included).</summary>
    public required NoiseReport Noise { get; init; }

    /// <summary>Requests per block.</summary>
    public required int BlockRequests { get; init; }

    /// <summary>Requests each side ran before measuring (warm-up rounds x block).</summary>
    public required int WarmupRequests { get; init; }

    /// <summary>Rounds dropped because a request failed.</summary>
    public required int DroppedRounds { get; init; }

    /// <summary>Blocks that started before other threads of this process went quiet (the settle cap was hit).</summary>
    public required int UnsettledBlocks { get; init; }

    /// <summary>Wall time of the run, warm-up included.</summary>
    public required TimeSpan Elapsed { get; init; }
}
