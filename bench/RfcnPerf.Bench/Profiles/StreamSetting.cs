namespace RfcnPerf.Bench.Profiles;

/// <summary>
/// Independent requests in flight on one session (OpenVINO's streams): <see cref="Streams"/> callers run
/// concurrently, sharing the session's weights and its intra-op pool of <see cref="IntraOpThreads"/>.
/// Spinning is off when several streams share the cores (docs/BENCHMARKING.md).
/// </summary>
public sealed record StreamSetting(int Streams, int IntraOpThreads, bool AllowSpinning)
{
    /// <summary>
    /// Divides <paramref name="physicalCores"/> between <paramref name="streams"/> streams: each caller gets
    /// about cores/streams threads (at least 1), spinning only when one stream has the cores to itself.
    /// </summary>
    public static StreamSetting ForCores(int streams, int physicalCores) =>
        new(streams, streams == 1 ? 0 : Math.Max(1, physicalCores / streams), streams == 1);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Streams} x intra={IntraOpThreads}{(AllowSpinning ? string.Empty : " no-spin")}";
}
