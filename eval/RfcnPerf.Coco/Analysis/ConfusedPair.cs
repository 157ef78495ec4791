namespace RfcnPerf.Coco.Analysis;

/// <summary>A true class detected as another class, from a <see cref="ConfusionMatrix"/>.</summary>
/// <param name="TrueId">The ground truth's category id.</param>
/// <param name="TrueName">Its name.</param>
/// <param name="PredictedId">The detection's category id.</param>
/// <param name="PredictedName">Its name.</param>
/// <param name="Count">How many ground truths of the true class were detected as the other.</param>
/// <param name="ShareOfTrueClass"><paramref name="Count"/> over the ground truths of the true class.</param>
public sealed record ConfusedPair(long TrueId, string TrueName, long PredictedId, string PredictedName, int Count, double ShareOfTrueClass);
