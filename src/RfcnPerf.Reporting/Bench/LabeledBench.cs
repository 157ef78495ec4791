namespace RfcnPerf.Reporting.Bench;

/// <summary>A benchmark run in a comparison: its letter (A, B, ...), its label in charts, where it was read from.</summary>
internal sealed record LabeledBench(string Letter, string Label, string Source, BenchRunSummary Summary);
