namespace RfcnPerf.Serving.Load;

/// <summary>What <see cref="PeakFinder"/> found.</summary>
/// <param name="LoadGenPeak">The highest QPS that met the latency bound, as LoadGen reports it (null: the start failed it).</param>
/// <param name="EarlyStoppingPeak">The highest probed QPS that met the bound and early stopping too.</param>
/// <param name="Probes">Every probe in order.</param>
/// <param name="Note">Why the search ended unusually, else null.</param>
internal sealed record PeakResult(ScenarioSummary? LoadGenPeak, ScenarioSummary? EarlyStoppingPeak, IReadOnlyList<ScenarioSummary> Probes, string? Note);
