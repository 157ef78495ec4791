namespace RfcnPerf.Coco;

/// <summary>
/// What a ground-truth annotation's <c>iscrowd</c> value means at each place pycocotools reads it. The three
/// readings agree for 0 and 1 (all real data) and differ only for odd values, which are reproduced too.
/// </summary>
[Flags]
internal enum GroundTruthFlags : byte
{
    None = 0,

    /// <summary><c>_prepare</c>: <c>gt['ignore'] = 'iscrowd' in gt and gt['iscrowd']</c> (Python truthiness).</summary>
    Ignore = 1,

    /// <summary><c>evaluateImg</c>: <c>int(o['iscrowd'])</c> != 0, a crowd may absorb any number of detections.</summary>
    CrowdMatch = 2,

    /// <summary><c>maskUtils.iou</c>: <c>np.uint8(int(iscrowd))</c> != 0, the IoU denominator is the detection area.</summary>
    CrowdIou = 4,
}
