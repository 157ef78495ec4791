namespace RfcnPerf.Coco;

/// <summary>pycocotools' maskApi.c <c>bbIou</c> for one (detection, ground truth) pair.</summary>
internal static class BoxIou
{
    /// <summary>
    /// IoU of boxes given as [x, y, w, h], with the same operations as the C code: no +1 pixel convention;
    /// areas from the boxes (not the 'area' field); for a crowd ground truth the union is the detection's
    /// area (intersection over detection area).
    /// </summary>
    public static double Compute(ReadOnlySpan<double> d, ReadOnlySpan<double> g, bool crowd)
    {
        double w = Math.Min(d[2] + d[0], g[2] + g[0]) - Math.Max(d[0], g[0]);
        if (w <= 0)
        {
            return 0;
        }

        double h = Math.Min(d[3] + d[1], g[3] + g[1]) - Math.Max(d[1], g[1]);
        if (h <= 0)
        {
            return 0;
        }

        double i = w * h;
        double da = d[2] * d[3];
        double u = crowd ? da : da + (g[2] * g[3]) - i;
        return i / u;
    }
}
