using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Pipeline;

/// <summary>The detections of one image, with its size.</summary>
public sealed record ImageDetections(ImageRef Image, int Width, int Height, IReadOnlyList<Detection> Detections);
