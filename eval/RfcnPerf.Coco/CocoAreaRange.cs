namespace RfcnPerf.Coco;

/// <summary>
/// An object-size bucket of COCOeval (<c>params.areaRng</c> with its <c>areaRngLbl</c>): a ground truth counts
/// when its <c>area</c> field lies in the closed interval [<paramref name="Min"/>, <paramref name="Max"/>].
/// </summary>
/// <param name="Label">The label summarize() looks up: "all", "small", "medium", "large".</param>
/// <param name="Min">Lower bound in square pixels (inclusive).</param>
/// <param name="Max">Upper bound in square pixels (inclusive).</param>
public readonly record struct CocoAreaRange(string Label, double Min, double Max);
