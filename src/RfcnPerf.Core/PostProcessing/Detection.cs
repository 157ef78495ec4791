namespace RfcnPerf.Core.PostProcessing;

/// <summary>One detection in original image pixels, COCO box convention <c>[x, y, width, height]</c>.</summary>
public readonly record struct Detection(int CategoryId, float Score, float X, float Y, float Width, float Height);
