namespace RfcnPerf.Onnx;

/// <summary>
/// One detection as a TensorFlow Object Detection API model reports it: a box normalised to [0, 1] in
/// (ymin, xmin, ymax, xmax) order, a score and a 1-based COCO category id (stored as float in the model).
/// </summary>
internal sealed record TfOdApiDetection(float YMin, float XMin, float YMax, float XMax, float Score, float ClassId);
