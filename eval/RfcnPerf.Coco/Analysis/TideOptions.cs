namespace RfcnPerf.Coco.Analysis;

/// <summary>The settings of a TIDE analysis; the defaults are TIDE's (<c>TIDE()</c> in bbox mode on COCO data).</summary>
public sealed record TideOptions
{
    /// <summary>Foreground IoU: a match needs IoU &gt;= this (TIDE's <c>pos_threshold</c>).</summary>
    public double PositiveThreshold { get; init; } = 0.5;

    /// <summary>Background IoU: below or at it a false positive is background (TIDE's <c>background_threshold</c>).</summary>
    public double BackgroundThreshold { get; init; } = 0.1;

    /// <summary>Detections kept per image, across classes, highest scores first (TIDE's <c>max_dets</c>).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>Analyse only these images (e.g. the processed part of a ground truth); null for every image.</summary>
    public IReadOnlyCollection<long>? ImageIds { get; init; }
}
