namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval.computeIoU / computeOks for one (image, category) cell: the [D x G] similarity of the cell's detections
/// (score order, cut to maxDets[-1]) with its ground truths (cell order), one implementation per iouType. The
/// matching, accumulation and summary are the same for all three. One instance per worker thread (it owns its scratch).
/// </summary>
internal abstract class IouProvider
{
    /// <summary>The provider for the evaluation's iouType.</summary>
    public static IouProvider Create(EvalSetup setup, AnnotationArrays gt, CocoResults dt) => setup.IouType switch
    {
        CocoIouType.Segm => new MaskIouProvider(gt, dt),
        CocoIouType.Keypoints => new OksProvider(setup, gt, dt),
        _ => new BoxIouProvider(gt, dt),
    };

    /// <summary>
    /// Fills <paramref name="iou"/>[d * G + g] for the cell's ground truths <paramref name="gtItems"/> (annotation
    /// indices) and detections <paramref name="dets"/> (result indices), both non-empty. Returns false when
    /// pycocotools' matrix is empty for this cell, so nothing is matched.
    /// </summary>
    public abstract bool Compute(ReadOnlySpan<int> gtItems, ReadOnlySpan<int> dets, Span<double> iou);
}
