namespace RfcnPerf.Coco;

/// <summary>
/// Per-category numbers computed from the accumulate() arrays the way summarize() computes its stats, for one
/// category: AP over IoU .50:.95, AP at .50 and .75, AP per area range, and AR, all at the largest maxDets
/// (100 by default). -1 where the category has no ground truth in that setting.
/// </summary>
/// <param name="CategoryId">Category id (-1 for the pooled class-agnostic evaluation).</param>
/// <param name="Name">Category name from the ground truth.</param>
/// <param name="AP">AP @[.50:.95, all].</param>
/// <param name="AP50">AP @[.50, all].</param>
/// <param name="AP75">AP @[.75, all].</param>
/// <param name="APs">AP @[.50:.95, small].</param>
/// <param name="APm">AP @[.50:.95, medium].</param>
/// <param name="APl">AP @[.50:.95, large].</param>
/// <param name="AR100">AR @[.50:.95, all] at the largest maxDets (named for the default, 100).</param>
public sealed record CocoCategoryMetrics(long CategoryId, string Name, double AP, double AP50, double AP75, double APs, double APm, double APl, double AR100);
