namespace RfcnPerf.Accuracy;

/// <summary>What <c>rfcnperf eval analyze</c> analyses and where it writes.</summary>
public sealed record AnalysisOptions
{
    /// <summary>The COCO ground truth.</summary>
    public required string Annotations { get; init; }

    /// <summary>The results file analysed (the baseline when <see cref="Vs"/> is given).</summary>
    public required string Results { get; init; }

    /// <summary>A second results file of the same images to compare with (e.g. the INT8 build's); null for none.</summary>
    public string? Vs { get; init; }

    /// <summary>Write every number as JSON here; null for none.</summary>
    public string? Json { get; init; }

    /// <summary>Write analysis.md and its charts (and examples with <see cref="ImagesDir"/>) here; null for none.</summary>
    public string? OutDir { get; init; }

    /// <summary>Folder the ground truth's file names resolve in, to draw the examples; null for none.</summary>
    public string? ImagesDir { get; init; }

    /// <summary>Example images to draw into <see cref="OutDir"/> when <see cref="ImagesDir"/> is given.</summary>
    public int Examples { get; init; } = 4;

    /// <summary>Analyse only these images; null for every ground-truth image.</summary>
    public IReadOnlyList<long>? ImageIds { get; init; }

    /// <summary>τ of the agreement; null for the baseline's best-F1 threshold.</summary>
    public double? AgreementThreshold { get; init; }

    /// <summary>Score threshold of the confusion matrices; null for each model's best-F1 threshold.</summary>
    public double? ConfusionThreshold { get; init; }

    /// <summary>COCOeval threads (0: one per core).</summary>
    public int Threads { get; init; }
}
