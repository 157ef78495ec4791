namespace RfcnPerf.Accuracy;

/// <summary>What <c>rfcnperf eval analyze --json</c> writes: the diagnostics of one or two results files.</summary>
public sealed record AnalysisReport
{
    /// <summary>The <c>kind</c> value of the file.</summary>
    public const string KindName = "rfcnperf.analysis-report";

    /// <summary>Identifies the file type for readers (<see cref="KindName"/>).</summary>
    public string Kind { get; init; } = KindName;

    /// <summary>Schema version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>When it was written (UTC, ISO 8601).</summary>
    public required string CreatedUtc { get; init; }

    /// <summary>The ground truth (full path).</summary>
    public required string Annotations { get; init; }

    /// <summary>The results files (full paths), baseline first.</summary>
    public required IReadOnlyList<string> Results { get; init; }

    /// <summary>Images analysed.</summary>
    public required int Images { get; init; }

    /// <summary>Each results file's diagnostics, in the order of <see cref="Results"/>.</summary>
    public required IReadOnlyList<RunDiagnostics> Diagnostics { get; init; }

    /// <summary>The agreement of the second file with the first (empty without <c>--vs</c>).</summary>
    public required IReadOnlyList<PairAgreement> Agreements { get; init; }

    /// <summary>Wall seconds of loading and analysing (writing charts and examples excluded).</summary>
    public double Seconds { get; init; }
}
