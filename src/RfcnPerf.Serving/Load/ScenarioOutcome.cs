namespace RfcnPerf.Serving.Load;

/// <summary>One system under test's result: the run's summary (with --find-peak: the peak run's, null if none) and the search.</summary>
internal sealed record ScenarioOutcome(ScenarioSummary? Summary, PeakResult? Peak);
