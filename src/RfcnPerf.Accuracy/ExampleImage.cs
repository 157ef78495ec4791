namespace RfcnPerf.Accuracy;

/// <summary>A side-by-side example written for a report.</summary>
/// <param name="ImageId">COCO image id.</param>
/// <param name="FileName">The source image's file name.</param>
/// <param name="RelativePath">The PNG, relative to the report folder, with forward slashes.</param>
/// <param name="Counts">Detections drawn per run (score at least the drawing threshold), in run order; empty for a
/// disagreement example.</param>
public sealed record ExampleImage(long ImageId, string FileName, string RelativePath, IReadOnlyList<int> Counts)
{
    /// <summary>For a disagreement example: the agreement counts of each compared pair on this image, in pair order.</summary>
    public IReadOnlyList<Coco.Analysis.AgreementCounts> PairCounts { get; init; } = [];
}
