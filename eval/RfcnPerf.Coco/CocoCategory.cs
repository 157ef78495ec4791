namespace RfcnPerf.Coco;

/// <summary>One entry of the ground truth's <c>categories</c> list.</summary>
/// <param name="Id">The category id that annotations and results refer to.</param>
/// <param name="Name">The <c>name</c> field (empty when the file does not give it).</param>
/// <param name="Supercategory">The <c>supercategory</c> field, or null when absent.</param>
public sealed record CocoCategory(long Id, string Name, string? Supercategory)
{
    /// <summary>How many names the category's <c>keypoints</c> list declares (read for a keypoints evaluation; null when absent or not read).</summary>
    public int? KeypointCount { get; init; }
}
