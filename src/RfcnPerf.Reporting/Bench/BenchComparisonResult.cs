namespace RfcnPerf.Reporting.Bench;

/// <summary>What <see cref="BenchComparison.Compare"/> wrote and found.</summary>
/// <param name="Markdown">comparison.md's text.</param>
/// <param name="AnySlower">Whether any matched case of any run was "slower" than in run A (the CI gate).</param>
/// <param name="PerCaseUnavailable">Why there are no per-case verdicts, or null when there are.</param>
public sealed record BenchComparisonResult(string Markdown, bool AnySlower, string? PerCaseUnavailable);
