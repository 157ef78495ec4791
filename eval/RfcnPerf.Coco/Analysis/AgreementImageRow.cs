namespace RfcnPerf.Coco.Analysis;

/// <summary>The agreement of two models on one image.</summary>
/// <param name="ImageId">The image id.</param>
/// <param name="Counts">The five counts on this image.</param>
public sealed record AgreementImageRow(long ImageId, AgreementCounts Counts);
