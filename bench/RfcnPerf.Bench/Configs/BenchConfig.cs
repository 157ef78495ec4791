using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;
using RfcnPerf.Bench.Columns;

namespace RfcnPerf.Bench.Configs;

/// <summary>
/// The run-wide configuration: BenchmarkDotNet's GitHub-Markdown, CSV and full-JSON exporters into the run's
/// results folder, milliseconds, per-request percentiles and the sweep columns (images/s, ms/image, GFLOP/s,
/// % of peak). Jobs come from the benchmark classes (<see cref="RealTimeConfig"/> and friends).
/// </summary>
internal static class BenchConfig
{
    /// <summary>Builds the configuration writing into <paramref name="artifactsPath"/>.</summary>
    public static IConfig Create(string artifactsPath) => ManualConfig.CreateEmpty()
        .AddLogger(ConsoleLogger.Default)
        .AddColumnProvider(
            DefaultColumnProviders.Descriptor,
            DefaultColumnProviders.Job,
            DefaultColumnProviders.Params,
            DefaultColumnProviders.Metrics)
        .AddColumn(
            StatisticColumn.Mean,
            StatisticColumn.StdDev,
            new PercentileColumn(50),
            new PercentileColumn(90),
            new PercentileColumn(99),
            StatisticColumn.Max,
            StatisticColumn.Iterations,
            BaselineRatioColumn.RatioMean,
            new ImagesPerSecondColumn(),
            new MsPerImageColumn(),
            new AchievedOpsColumn(),
            new PeakPercentColumn())
        .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default, JsonExporter.Full)
        // MinIterationTime warns about every 10-100 ms sample; one request per sample is the point here.
        .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers().Where(a => a.Id != "MinIterationTime")])
        .AddValidator(DefaultConfig.Instance.GetValidators().ToArray())
        .WithArtifactsPath(artifactsPath)
        .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond).WithMaxParameterColumnWidth(40))
        .WithOption(ConfigOptions.KeepBenchmarkFiles, false);
}
