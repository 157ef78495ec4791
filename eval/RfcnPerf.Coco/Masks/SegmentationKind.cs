namespace RfcnPerf.Coco.Masks;

/// <summary>How an annotation's <c>segmentation</c> was given.</summary>
internal enum SegmentationKind : byte
{
    /// <summary>No segmentation field.</summary>
    None,

    /// <summary>A list of polygons (annToRLE: frPyObjects, then merge).</summary>
    Polygons,

    /// <summary>A run-length mask: <c>{"counts": [...], "size": [h, w]}</c> or its compressed string form.</summary>
    Rle,
}
