using CsCheck;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// <see cref="MaskApi.FrPoly"/> (which scans the outline while walking it and visits one x-major step in five) against
/// a literal transcription of maskApi.c's rleFrPoly (every up-sampled point stored, then scanned) on random polygons:
/// integer, half-pixel and arbitrary vertices, inside and outside the mask, tiny and empty masks, degenerate edges.
/// </summary>
public sealed class FrPolyReferenceTests
{
    /// <summary>The CsCheck seed, fixed so a CI run is reproducible.</summary>
    private const string Seed = "0frPolyRfcnPerf";

    private const int Iterations = 20_000;

    private static readonly Gen<(uint H, uint W, double[] Xy)> Polygons =
        Gen.Select(Gen.UInt[0, 40], Gen.UInt[0, 40], Gen.Int[0, 3], Gen.Int[1, 14])
            .SelectMany(p => Vertex(p.Item1, p.Item2, p.Item3).Array[2 * p.Item4, (2 * p.Item4) + 1].Select(xy => (p.Item1, p.Item2, xy)));

    [Fact]
    public void Fast_frPoly_equals_the_literal_port() => AgreeWithLiteral(Polygons, Iterations);

    [Fact]
    public void Fast_frPoly_equals_the_literal_port_on_large_masks_and_steep_edges()
    {
        // Long y-major edges (where the crossings are searched for, not walked), slopes a step away from 1 (where
        // rounding could make u jump), and masks up to 3000 pixels a side.
        AgreeWithLiteral(LargePolygons, Iterations / 10);
        AgreeWithLiteral(NearDiagonalPolygons, Iterations / 4);
    }

    [Fact]
    public void Fast_frPoly_equals_the_literal_port_far_from_the_origin()
    {
        // Up-sampled coordinates around 2^30 (where the y-major search stops and every point is walked), past 2^31
        // (where the C cast gives INT_MIN), and masks of width 0 (where no column is out of range and positions wrap).
        AgreeWithLiteral(FarPolygons, Iterations / 4);
    }

    [Fact]
    public void The_walk_check_from_the_extent_agrees_with_counting_the_walk()
    {
        // WalkAtMost settles most polygons from their extent and counts the walk for the rest: the same verdict at
        // every limit, near the count and far from it, for polygons near and far from the origin.
        var polygons = Gen.OneOf(Polygons, LargePolygons, FarPolygons).Select(p => p.Xy);
        Gen.Select(polygons, Gen.OneOf(Gen.Long[0, 1_000], Gen.Long[0, 200_000], Gen.Long[0, 1L << 40])).Sample(
            t => MaskApi.WalkAtMost(t.Item1, t.Item2) == (MaskApi.WalkLength(t.Item1) <= t.Item2),
            seed: Seed,
            iter: Iterations,
            threads: 1);
    }

    [Theory]
    [InlineData(new double[] { 0, 0, 0, 0, 0, 0 }, 5u, 5u)]
    [InlineData(new double[] { -3, -3, 50, -3, 50, 50, -3, 50 }, 10u, 10u)]
    [InlineData(new double[] { 2.5, 1.5, 7.25, 3.1, 4.9, 8.7 }, 0u, 0u)]
    [InlineData(new double[] { 1, 1, 9, 1 }, 10u, 10u)]
    [InlineData(new double[] { 3, 4 }, 10u, 10u)]
    [InlineData(new double[] { 1e9, 1e9, 1e9 + 1, 1e9, 1e9, 1e9 + 1 }, 10u, 10u)]
    [InlineData(new double[] { 214_748_364, 0, 214_748_366, 30, 214_748_363, 60 }, 70u, 0u)]
    [InlineData(new double[] { 429_496_729, 0, 429_496_729.3, 30, 429_496_728, 60 }, 70u, 0u)]
    [InlineData(new double[] { 5e8, 0, 5e8 + 1, 30, 5e8 - 1, 60 }, 70u, 0u)]
    [InlineData(new double[] { 0, 0, 7.9, 8, 0, 16, 8.1, 24.2 }, 30u, 10u)]
    public void Corner_cases_equal_the_literal_port(double[] xy, uint h, uint w)
    {
        Assert.Equal(Literal(xy, h, w), MaskApi.FrPoly(xy, h, w, new MaskScratch()).ToArray());
    }

    private static readonly Gen<(uint H, uint W, double[] Xy)> LargePolygons =
        Gen.Select(Gen.UInt[0, 3000], Gen.UInt[0, 3000], Gen.Int[0, 3], Gen.Int[1, 14])
            .SelectMany(p => Vertex(p.Item1, p.Item2, p.Item3).Array[2 * p.Item4, (2 * p.Item4) + 1].Select(xy => (p.Item1, p.Item2, xy)));

    /// <summary>Outlines whose edges step (a, a + 1..3) or (a + 1..3, a) up-sampled units: slopes just short of 1.</summary>
    private static readonly Gen<(uint H, uint W, double[] Xy)> NearDiagonalPolygons =
        Gen.Select(Gen.UInt[1, 400], Gen.UInt[1, 400], Gen.Int[3, 10], Gen.Int[0, 400], Gen.Int[0, 400])
            .SelectMany(p => Gen.Select(Gen.Int[1, 600], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gen.Bool).Array[p.Item3].Select(steps =>
            {
                var xy = new double[2 * steps.Length];
                double x = p.Item4, y = p.Item5;
                for (int i = 0; i < steps.Length; i++)
                {
                    var (a, delta, swap, negateX, negateY) = steps[i];
                    int ux = swap ? a + delta : a, uy = swap ? a : a + delta;
                    x += (negateX ? -ux : ux) / 5.0;
                    y += (negateY ? -uy : uy) / 5.0;
                    (xy[2 * i], xy[(2 * i) + 1]) = (x, y);
                }

                return (p.Item1, p.Item2, xy);
            }));

    /// <summary>Small outlines moved far from the origin along x, y or both.</summary>
    private static readonly Gen<(uint H, uint W, double[] Xy)> FarPolygons =
        Gen.Select(Gen.UInt[0, 40], Gen.OneOf(Gen.Const(0u), Gen.UInt[1, 40]), Gen.Int[1, 8], Gen.Int[0, 2], Gen.OneOf(1e6, 214_748_300.0, 214_748_364.0, 214_748_366.0, 429_496_700.0, 429_496_729.0, -429_496_729.0, 1e12))
            .SelectMany(p => Gen.Double[-30, 30].Array[2 * p.Item3].Select(xy =>
            {
                for (int i = 0; i < xy.Length; i++)
                {
                    bool isX = i % 2 == 0;
                    xy[i] = Math.Round(xy[i], 1) + ((p.Item4 == 0 && isX) || (p.Item4 == 1 && !isX) || p.Item4 == 2 ? p.Item5 : 0);
                }

                return (p.Item1, p.Item2, xy);
            }))

            // What a reader accepts (a walk across the int range's end is refused), and small enough for the literal port.
            .Where(p => MaskApi.WalkLength(p.Item3) <= 1_000_000);

    private static void AgreeWithLiteral(Gen<(uint H, uint W, double[] Xy)> polygons, int iterations)
    {
        var scratch = new MaskScratch();
        polygons.Sample(
            p => Literal(p.Xy, p.H, p.W).AsSpan().SequenceEqual(MaskApi.FrPoly(p.Xy, p.H, p.W, scratch)),
            seed: Seed,
            iter: iterations,
            threads: 1);
    }

    /// <summary>A coordinate: whole, half or free, mostly inside [0, size] with some outside.</summary>
    private static Gen<double> Vertex(uint h, uint w, int style) => Gen.Int[-8, (int)Math.Max(h, w) + 8].SelectMany(v => style switch
    {
        0 => Gen.Const((double)v),
        1 => Gen.Const(v + 0.5),
        2 => Gen.Double[-0.5, 0.5].Select(f => Math.Round(v + f, 3)),
        _ => Gen.Double[-0.5, 0.5].Select(f => v + f),
    });

    /// <summary>maskApi.c rleFrPoly, statement for statement (C casts as on x86-64).</summary>
    private static uint[] Literal(double[] xyIn, uint h, uint w)
    {
        const double scale = 5;
        int k = xyIn.Length / 2;
        var x = new int[k + 1];
        var y = new int[k + 1];
        for (int j = 0; j < k; j++)
        {
            x[j] = CInt((scale * xyIn[j * 2]) + .5);
        }

        x[k] = x[0];
        for (int j = 0; j < k; j++)
        {
            y[j] = CInt((scale * xyIn[(j * 2) + 1]) + .5);
        }

        y[k] = y[0];
        long total = 0;
        for (int j = 0; j < k; j++)
        {
            total += Math.Max(Math.Abs((long)x[j] - x[j + 1]), Math.Abs((long)y[j] - y[j + 1])) + 1;
        }

        var u = new int[total];
        var v = new int[total];
        int m = 0;
        for (int j = 0; j < k; j++)
        {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            int dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
            bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip)
            {
                (xs, xe) = (xe, xs);
                (ys, ye) = (ye, ys);
            }

            double s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;
            if (dx >= dy)
            {
                for (int d = 0; d <= dx; d++)
                {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = CInt(ys + (s * t) + .5);
                    m++;
                }
            }
            else
            {
                for (int d = 0; d <= dy; d++)
                {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = CInt(xs + (s * t) + .5);
                    m++;
                }
            }
        }

        k = m;
        m = 0;
        var bx = new int[k];
        var by = new int[k];
        double wMax = unchecked((ulong)w - 1UL);
        for (int j = 1; j < k; j++)
        {
            if (u[j] != u[j - 1])
            {
                double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
                xd = ((xd + .5) / scale) - .5;
                if (Math.Floor(xd) != xd || xd < 0 || xd > wMax)
                {
                    continue;
                }

                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = ((yd + .5) / scale) - .5;
                yd = yd < 0 ? 0 : yd > h ? h : yd;
                yd = Math.Ceiling(yd);
                bx[m] = (int)xd;
                by[m] = (int)yd;
                m++;
            }
        }

        k = m;
        var a = new uint[k + 1];
        for (int j = 0; j < k; j++)
        {
            a[j] = unchecked((uint)((bx[j] * (int)h) + by[j]));
        }

        a[k++] = unchecked((uint)((ulong)h * w));
        Array.Sort(a, 0, k);
        uint p = 0;
        for (int j = 0; j < k; j++)
        {
            uint t = a[j];
            a[j] = unchecked(a[j] - p);
            p = t;
        }

        var b = new List<uint> { a[0] };
        for (int j = 1; j < k;)
        {
            if (a[j] > 0)
            {
                b.Add(a[j++]);
            }
            else
            {
                j++;
                if (j < k)
                {
                    b[^1] = unchecked(b[^1] + a[j++]);
                }
            }
        }

        return [.. b];
    }

    private static int CInt(double value) => value is > -2147483649.0 and < 2147483648.0 ? (int)value : int.MinValue;
}
