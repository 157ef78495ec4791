using System.Globalization;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Bench.Profiles;

/// <summary>
/// The session configuration of one benchmark case, derived from its parameters in one place so the
/// benchmarks (which open sessions) and the reports (which describe them) cannot disagree.
/// </summary>
/// <param name="Batch">Images per request.</param>
/// <param name="IntraOpThreads">Intra-op threads; 0 = ORT default (one per physical core, pinned).</param>
/// <param name="InterOp">Execution mode and inter-op threads.</param>
/// <param name="Streams">Requests in flight on the session.</param>
/// <param name="AllowSpinning">Whether idle ORT threads spin.</param>
/// <param name="AffinityCores">Cores the process is pinned to (single-core job), or null for all.</param>
public sealed record SweepPoint(int Batch, int IntraOpThreads, InterOpSetting InterOp, int Streams, bool AllowSpinning, int? AffinityCores)
{
    /// <summary>Batch 1, ORT defaults, one stream: the real-time reference point.</summary>
    public static SweepPoint Default { get; } = new(1, 0, InterOpSetting.Sequential, 1, true, null);

    /// <summary>Images completed by one benchmark invocation (all streams' requests).</summary>
    public int ImagesPerInvocation => Batch * Streams;

    /// <summary>True for batch 1 with one request in flight: the real-time (latency) mode.</summary>
    public bool IsRealTime => Batch == 1 && Streams == 1;

    /// <summary>The ORT options of this point (the intra-op count run-bench --force-intra imposes, if any).</summary>
    public SessionSettings ToSettings() => new()
    {
        IntraOpThreads = BenchContext.ForcedIntraOp ?? IntraOpThreads,
        InterOpThreads = InterOp.InterOpThreads,
        ExecutionMode = InterOp.Mode,
        AllowSpinning = AllowSpinning,
    };

    /// <summary>Short description, e.g. <c>batch 4, intra=0 sequential</c> or <c>batch 1, 2 streams x intra=1 no-spin</c>.</summary>
    public string Describe()
    {
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"batch {Batch}") };
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{(Streams > 1 ? $"{Streams} streams x " : string.Empty)}intra={IntraOpThreads}{(IntraOpThreads == 0 ? " (ORT default)" : string.Empty)}"));
        parts.Add(InterOp.ToString());
        if (!AllowSpinning)
        {
            parts.Add("no-spin");
        }

        if (AffinityCores is { } cores)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"pinned to {cores} core{(cores == 1 ? string.Empty : "s")}"));
        }

        return string.Join(", ", parts);
    }
}
