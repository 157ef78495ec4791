namespace RfcnPerf.Reporting;

/// <summary>One model's bars in a <see cref="ProfileChart"/>.</summary>
/// <param name="Model">Model name (legend and title).</param>
/// <param name="Batch">Images per run.</param>
/// <param name="Settings">Session settings, e.g. <c>intra=0 inter=0 sequential</c>.</param>
/// <param name="ByOpType">Mean milliseconds per run by kernel op type, most time first.</param>
/// <param name="ModelCallMs">Mean model call without the profiler.</param>
/// <param name="KernelSumMs">Mean of the per-run sums of kernel times.</param>
public sealed record ProfileChartSeries(string Model, int Batch, string Settings, IReadOnlyList<KeyValuePair<string, double>> ByOpType, double ModelCallMs, double KernelSumMs);
