namespace RfcnPerf.Coco;

/// <summary>computeIoU for iouType 'bbox': maskUtils.iou of the [x, y, w, h] boxes (maskApi.c bbIou).</summary>
internal sealed class BoxIouProvider(AnnotationArrays gt, CocoResults dt) : IouProvider
{
    public override bool Compute(ReadOnlySpan<int> gtItems, ReadOnlySpan<int> dets, Span<double> iou)
    {
        // COCOeval.computeIoU: ious = maskUtils.iou(d, g, iscrowd)
        int g = gtItems.Length;
        for (int di = 0; di < dets.Length; di++)
        {
            var dBox = dt.Box.AsSpan(4 * dets[di], 4);
            for (int gi = 0; gi < g; gi++)
            {
                int a = gtItems[gi];
                iou[(di * g) + gi] = BoxIou.Compute(dBox, gt.Box.AsSpan(4 * a, 4), (gt.Flags[a] & GroundTruthFlags.CrowdIou) != 0);
            }
        }

        return true;
    }
}
