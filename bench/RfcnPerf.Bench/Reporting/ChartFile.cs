namespace RfcnPerf.Bench.Reporting;

/// <summary>A chart written into the results folder.</summary>
/// <param name="Title">Chart title (also the heading in summary.md).</param>
/// <param name="RelativePath">Path relative to the results folder, e.g. <c>charts/throughput-vs-batch.png</c>.</param>
internal sealed record ChartFile(string Title, string RelativePath);
