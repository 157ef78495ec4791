namespace RfcnPerf.Core.Tests.Support;

/// <summary>IoU of COCO [x, y, w, h] boxes, written independently of the library's NMS.</summary>
internal static class BoxMath
{
    public static double Iou(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
    {
        var iw = Math.Min(ax + aw, bx + bw) - Math.Max(ax, bx);
        var ih = Math.Min(ay + ah, by + bh) - Math.Max(ay, by);
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        var inter = iw * ih;
        return inter / ((aw * ah) + (bw * bh) - inter);
    }
}
