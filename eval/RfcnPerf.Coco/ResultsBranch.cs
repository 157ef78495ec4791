namespace RfcnPerf.Coco;

/// <summary>
/// Which branch of pycocotools' <c>loadRes</c> a results list takes: the FIRST result decides, for every result.
/// </summary>
internal enum ResultsBranch
{
    /// <summary>The first result has a non-empty <c>bbox</c>: area = w * h, a segmentation or keypoints kept as given.</summary>
    Box,

    /// <summary>No bbox but a <c>segmentation</c>: area and (missing) bbox from the compressed mask.</summary>
    Mask,

    /// <summary>Neither, but <c>keypoints</c>: area and bbox from the keypoints' extent.</summary>
    Points,
}
