using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco;

/// <summary>
/// COCOeval.computeOks for iouType 'keypoints': object keypoint similarity, operation for operation as numpy does it
/// (vars = (2 sigma)^2; e = (dx^2 + dy^2) / vars / (area + eps) / 2 per keypoint; OKS = sum(exp(-e)) / len(e), the
/// sum pairwise as numpy's). A ground truth with no labelled keypoint (k1 == 0) is compared through the distance to
/// its box enlarged to three times its size. The only difference from numpy can be exp itself: numpy's SIMD exp is
/// off by one unit in the last place from the C library's for some inputs.
/// </summary>
internal sealed class OksProvider : IouProvider
{
    /// <summary><c>np.spacing(1)</c> = 2^-52, added to the ground truth's area.</summary>
    private static readonly double Spacing1 = Math.BitIncrement(1.0) - 1.0;

    private readonly AnnotationArrays gt;
    private readonly CocoResults dt;
    private readonly KeypointArrays gtPoints;
    private readonly KeypointArrays dtPoints;
    private readonly double[] vars;
    private readonly double[] terms;
    private readonly bool useCats;

    public OksProvider(EvalSetup setup, AnnotationArrays gt, CocoResults dt)
    {
        this.gt = gt;
        this.dt = dt;
        gtPoints = gt.Keypoints ?? throw new InvalidOperationException("keypoints need the ground truth's keypoints");
        dtPoints = dt.Keypoints ?? throw new InvalidOperationException("keypoints need the results' keypoints");
        useCats = setup.UseCats;
        vars = new double[setup.KeypointSigmas.Length];
        for (int n = 0; n < vars.Length; n++)
        {
            double twice = setup.KeypointSigmas[n] * 2;
            vars[n] = twice * twice; // (sigmas * 2) ** 2: numpy squares by multiplying
        }

        terms = new double[vars.Length];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool Compute(ReadOnlySpan<int> gtItems, ReadOnlySpan<int> dets, Span<double> iou)
    {
        // COCOeval.computeOks. Without useCats it reads self._gts[imgId, -1], which is always empty, so its matrix
        // is [] and evaluateImg matches nothing (AP 0): reproduced as is.
        if (!useCats)
        {
            return false;
        }

        int g = gtItems.Length, k = vars.Length;
        for (int j = 0; j < g; j++)
        {
            int a = gtItems[j];
            var xyv = gtPoints.Of(a);
            int k1 = 0;
            for (int n = 0; n < k; n++)
            {
                if (xyv[(3 * n) + 2] > 0)
                {
                    k1++;
                }
            }

            // Bounds of the region a prediction is measured against when no keypoint is labelled: the box, tripled.
            double bx = gt.Box[4 * a], by = gt.Box[(4 * a) + 1], bw = gt.Box[(4 * a) + 2], bh = gt.Box[(4 * a) + 3];
            double x0 = bx - bw, x1 = bx + (bw * 2), y0 = by - bh, y1 = by + (bh * 2);
            double scale = gt.Area[a] + Spacing1;
            for (int i = 0; i < dets.Length; i++)
            {
                var d = dtPoints.Of(dets[i]);
                int count = 0;
                for (int n = 0; n < k; n++)
                {
                    double xd = d[3 * n], yd = d[(3 * n) + 1];
                    double dx, dy;
                    if (k1 > 0)
                    {
                        if (!(xyv[(3 * n) + 2] > 0))
                        {
                            continue; // e = e[vg > 0]
                        }

                        dx = xd - xyv[3 * n];
                        dy = yd - xyv[(3 * n) + 1];
                    }
                    else
                    {
                        dx = Math.Max(0, x0 - xd) + Math.Max(0, xd - x1);
                        dy = Math.Max(0, y0 - yd) + Math.Max(0, yd - y1);
                    }

                    double e = (((dx * dx) + (dy * dy)) / vars[n]) / scale / 2;
                    terms[count++] = Math.Exp(-e);
                }

                // np.sum(np.exp(-e)) / e.shape[0]: numpy's reduction (0.0 + pairwise sum), then the division.
                iou[(i * g) + j] = (0.0 + Numpy.PairwiseSum(terms.AsSpan(0, count))) / count;
            }
        }

        return true;
    }
}
