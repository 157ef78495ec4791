namespace RfcnPerf.Core.Pipeline;

/// <summary>An image to process: its COCO image id and file path.</summary>
public sealed record ImageRef(long ImageId, string Path);
