using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>A configuration of one variant measured as a side of its model's interleaved run.</summary>
/// <param name="Variant">Model and precision.</param>
/// <param name="Point">The session configuration.</param>
/// <param name="Side">Its index among the run's sides.</param>
internal sealed record Candidate(ModelVariant Variant, SweepPoint Point, int Side)
{
    /// <summary>Whether it answers the latency question (batch 1, one request in flight).</summary>
    public bool IsRealTime => Point.IsRealTime;

    /// <summary>Its configuration for tables, e.g. <c>batch 1, intra=1, sequential</c>.</summary>
    public string Label => Point.Describe();
}
