namespace RfcnPerf.Coco.Analysis;

/// <summary>The agreement of two models for one class.</summary>
/// <param name="CategoryId">The category id.</param>
/// <param name="Name">Its name (empty for a category the ground truth does not list).</param>
/// <param name="Counts">Kept, moved, relabelled and lost count the baseline's detections of this class; gained the
/// candidate's.</param>
/// <param name="RelabelledInto">Candidate detections of this class paired with a baseline detection of another class.</param>
public sealed record AgreementClassRow(long CategoryId, string Name, AgreementCounts Counts, int RelabelledInto);
