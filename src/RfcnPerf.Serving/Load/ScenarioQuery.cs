namespace RfcnPerf.Serving.Load;

/// <summary>One query of a scenario: its place in the run, the samples it carries and when it was due (ns from the start).</summary>
/// <param name="Index">0-based position in the run.</param>
/// <param name="Samples">Indices into the sample library's loaded set.</param>
/// <param name="ScheduledNs">When the query was due: its arrival in server, its issue in the other scenarios.</param>
internal sealed record ScenarioQuery(int Index, int[] Samples, long ScheduledNs);
