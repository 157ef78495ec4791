using BenchmarkDotNet.Reports;
using RfcnPerf.Bench.Columns;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Reporting;

/// <summary>One benchmark case's outcome in sweep terms, in milliseconds per sample (one sample = one request round).</summary>
internal sealed record CaseResult
{
    /// <summary>Benchmark class name, e.g. <c>RealTimeBenchmarks</c>.</summary>
    public required string Benchmark { get; init; }

    /// <summary>Method name, e.g. <c>Infer</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Method description as BenchmarkDotNet shows it.</summary>
    public required string MethodTitle { get; init; }

    /// <summary>Job id.</summary>
    public required string Job { get; init; }

    /// <summary>Short name of the case, e.g. <c>RealTimeBenchmarks.Run [Variant=yolov8n FP32, IntraOp=0] (real-time)</c>.</summary>
    public required string DisplayInfo { get; init; }

    /// <summary>BenchmarkDotNet's own name of the case (its full JSON export's <c>DisplayInfo</c>): where the raw samples are.</summary>
    public string Entry { get; init; } = string.Empty;

    /// <summary>Parameters as BenchmarkDotNet shows them, e.g. <c>[Variant=yolov8n FP32, IntraOp=0]</c> (empty when none).</summary>
    public required string Parameters { get; init; }

    /// <summary>BenchmarkDotNet categories of the case (<see cref="BenchCategories"/>).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Variant and session configuration.</summary>
    public required CaseInfo Info { get; init; }

    /// <summary>Whether the case produced results.</summary>
    public required bool Success { get; init; }

    /// <summary>Per-sample times in ms, in measurement order (empty on failure).</summary>
    public required IReadOnlyList<double> SamplesMs { get; init; }

    /// <summary>Mean ms per sample.</summary>
    public double MeanMs { get; init; } = double.NaN;

    /// <summary>Fastest sample.</summary>
    public double MinMs { get; init; } = double.NaN;

    /// <summary>Median.</summary>
    public double P50Ms { get; init; } = double.NaN;

    /// <summary>90th percentile.</summary>
    public double P90Ms { get; init; } = double.NaN;

    /// <summary>99th percentile.</summary>
    public double P99Ms { get; init; } = double.NaN;

    /// <summary>True for successful inference-only cases (the sweep proper).</summary>
    public bool IsInference => Success && Info.Variant is not null && Categories.Contains(BenchCategories.Inference);

    /// <summary>Variant shortcut.</summary>
    public ModelVariant? Variant => Info.Variant;

    /// <summary>Session configuration shortcut.</summary>
    public SweepPoint Point => Info.Point;

    /// <summary>Images per second (all streams), NaN when not applicable.</summary>
    public double ImagesPerSecond => Success && Info.Variant is not null ? Point.ImagesPerInvocation * 1000.0 / MeanMs : double.NaN;

    /// <summary>Mean ms per image.</summary>
    public double MsPerImage => MeanMs / Point.ImagesPerInvocation;

    /// <summary>Achieved giga-operations per second, NaN when unknown.</summary>
    public double AchievedGops => Success ? AchievedOpsColumn.Rate(Info, MeanMs) ?? double.NaN : double.NaN;

    /// <summary>Percentage of peak, NaN when unknown.</summary>
    public double PeakPercent => Success ? PeakPercentColumn.Percent(Info, MeanMs) ?? double.NaN : double.NaN;

    /// <summary>Builds the result of one report.</summary>
    public static CaseResult From(BenchmarkReport report)
    {
        var c = report.BenchmarkCase;
        var stats = report.ResultStatistics;
        var ok = report.Success && stats is not null;
        return new CaseResult
        {
            Benchmark = c.Descriptor.Type.Name,
            Method = c.Descriptor.WorkloadMethod.Name,
            MethodTitle = c.Descriptor.WorkloadMethodDisplayInfo,
            Job = c.Job.ResolvedId,
            DisplayInfo = $"{c.Descriptor.DisplayInfo} {c.Parameters.DisplayInfo} ({c.Job.ResolvedId})",
            Entry = c.DisplayInfo,
            Parameters = c.Parameters.DisplayInfo,
            Categories = c.Descriptor.Categories,
            Info = CaseInfo.Of(c),
            Success = ok,
            SamplesMs = ok ? [.. stats!.OriginalValues.Select(v => v / 1e6)] : [],
            MeanMs = ok ? stats!.Mean / 1e6 : double.NaN,
            MinMs = ok ? stats!.Min / 1e6 : double.NaN,
            P50Ms = ok ? stats!.Percentiles.P50 / 1e6 : double.NaN,
            P90Ms = ok ? stats!.Percentiles.P90 / 1e6 : double.NaN,
            P99Ms = ok ? stats!.Percentiles.Percentile(99) / 1e6 : double.NaN,
        };
    }
}
