namespace RfcnPerf.Coco;

/// <summary>What COCOeval compares (pycocotools' <c>iouType</c>).</summary>
public enum CocoIouType
{
    /// <summary>Boxes: IoU of <c>[x, y, w, h]</c> rectangles (the default).</summary>
    Bbox,

    /// <summary>Instance masks: IoU of run-length masks (polygons are rasterised as pycocotools does).</summary>
    Segm,

    /// <summary>Keypoints: object keypoint similarity (OKS), one category, maxDets 20.</summary>
    Keypoints,
}
