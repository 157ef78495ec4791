namespace RfcnPerf.Accuracy;

/// <summary>Which images a run processed and scored.</summary>
/// <param name="Annotations">The ground-truth file.</param>
/// <param name="ImagesDir">Folder the image file names resolve in.</param>
/// <param name="GroundTruthImages">Images in the ground truth.</param>
/// <param name="Images">Images processed (after --shard and --limit).</param>
/// <param name="Limit">--limit, if given.</param>
/// <param name="Shard">--shard as <c>i/n</c>, if given.</param>
/// <param name="Restricted">True when only part of the ground truth was processed: then every model is scored on
/// the processed images only (COCOeval params.imgIds), not on the whole ground truth.</param>
public sealed record DataSelection(string Annotations, string ImagesDir, int GroundTruthImages, int Images, int? Limit, string? Shard, bool Restricted);
