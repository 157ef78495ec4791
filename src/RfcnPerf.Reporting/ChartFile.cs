namespace RfcnPerf.Reporting;

/// <summary>A chart written for a report.</summary>
/// <param name="Title">What the chart shows (also its caption in report.md).</param>
/// <param name="RelativePath">Path relative to the report folder, with forward slashes.</param>
public sealed record ChartFile(string Title, string RelativePath);
