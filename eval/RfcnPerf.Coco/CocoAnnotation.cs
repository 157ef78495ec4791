namespace RfcnPerf.Coco;

/// <summary>One ground-truth annotation as the evaluator reads it.</summary>
/// <param name="Id">The annotation id.</param>
/// <param name="ImageId">The image it belongs to.</param>
/// <param name="CategoryId">Its category.</param>
/// <param name="X">Box left edge.</param>
/// <param name="Y">Box top edge.</param>
/// <param name="Width">Box width.</param>
/// <param name="Height">Box height.</param>
/// <param name="Area">The <c>area</c> field (what the area ranges test).</param>
/// <param name="IsCrowd">Whether <c>iscrowd</c> is set (a crowd region: matches are ignored, never counted).</param>
public readonly record struct CocoAnnotation(long Id, long ImageId, long CategoryId, double X, double Y, double Width, double Height, double Area, bool IsCrowd);
