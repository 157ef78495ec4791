namespace RfcnPerf.Accuracy;

/// <summary>Everything <c>report.md</c> shows, as numbers: written as <c>report.json</c>.</summary>
public sealed record AccuracyReport
{
    /// <summary>The <c>kind</c> value of a report.json file.</summary>
    public const string KindName = "rfcnperf.accuracy-report";

    /// <summary>Identifies the file type for readers (<see cref="KindName"/>).</summary>
    public string Kind { get; init; } = KindName;

    /// <summary>Schema version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>When the report was written (UTC, ISO 8601).</summary>
    public required string CreatedUtc { get; init; }

    /// <summary>The command line that produced it, when known.</summary>
    public string? CommandLine { get; init; }

    /// <summary>The machine, as name/value rows (CPU, cores, ISA, memory, OS, .NET, ONNX Runtime).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Machine { get; init; }

    /// <summary>The images processed and scored.</summary>
    public required DataSelection Data { get; init; }

    /// <summary>One entry per model, in the order they ran.</summary>
    public required IReadOnlyList<ModelRun> Runs { get; init; }

    /// <summary>INT8 against FP32 pairs (or each run against the first when there is no pair).</summary>
    public required IReadOnlyList<RunComparison> Comparisons { get; init; }

    /// <summary>Each run's diagnostics (TIDE errors, precision/recall/F1 against the score threshold, confusion matrix,
    /// calibration), in run order; empty in reports written before they existed.</summary>
    public IReadOnlyList<RunDiagnostics> Diagnostics { get; init; } = [];

    /// <summary>Each compared pair's detection agreement and differences in TIDE errors and calibration.</summary>
    public IReadOnlyList<PairAgreement> Agreements { get; init; } = [];

    /// <summary>Default models that were not run, each with the reason (e.g. a pair whose files are not available).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>Wall seconds of the whole command in this process (a resumed run counts only its own part).</summary>
    public double WallSeconds { get; init; }
}
