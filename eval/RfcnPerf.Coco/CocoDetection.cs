namespace RfcnPerf.Coco;

/// <summary>
/// One detection in COCO results form (what a results file's records hold): a box in original image
/// pixels as <c>[x, y, width, height]</c> and a confidence score.
/// </summary>
/// <param name="ImageId">The ground-truth image id.</param>
/// <param name="CategoryId">The ground-truth category id.</param>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Box width (the evaluator uses <c>Width * Height</c> as the detection's area).</param>
/// <param name="Height">Box height.</param>
/// <param name="Score">Confidence; detections are ranked by it.</param>
public readonly record struct CocoDetection(long ImageId, long CategoryId, double X, double Y, double Width, double Height, double Score);
