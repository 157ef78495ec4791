using System.Runtime.CompilerServices;

namespace RfcnPerf.Coco.Masks;

/// <summary>
/// pycocotools' <c>common/maskApi.c</c>, function for function, on run-length counts held in spans: a mask of
/// height h and width w is read column by column (Fortran order) as alternating runs of 0s and 1s, starting with
/// 0s (so counts[0] may be 0). The integer types and operation order are the C code's, so the counts, areas,
/// boxes and IoUs are the same values pycocotools computes.
/// </summary>
internal static class MaskApi
{
    /// <summary>Characters of the compressed form are '0' (48) + 6 bits: 48 .. 111.</summary>
    private const byte FirstChar = 48;
    private const byte LastChar = 48 + 63;

    /// <summary>rleFrPoly's up-sampling of the vertices.</summary>
    private const double Scale = 5;

    /// <summary>rleToString writes at most 7 characters per count (a difference of two uint32 fits 34 bits).</summary>
    public const int MaxCharsPerCount = 7;

    /// <summary>Outcome of <see cref="TryFrString"/>.</summary>
    public enum StringError
    {
        None,
        BadCharacter,
        Truncated,
        TooLong,
    }

    /// <summary>
    /// rleFrString: decodes the compressed counts (6 bits per character, 0x20 = more, 0x10 = sign on the last
    /// character; from the fourth count on, each is stored as the difference from the count two before).
    /// </summary>
    /// <param name="s">The characters (a NUL ends the string, as in C).</param>
    /// <param name="counts">At least <paramref name="s"/>.Length long.</param>
    /// <param name="m">The number of counts written.</param>
    /// <param name="at">Where decoding failed.</param>
    /// <returns>None, or why the string is not one pycocotools writes (where its C code reads garbage or past the end).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StringError TryFrString(ReadOnlySpan<byte> s, Span<uint> counts, out int m, out int at)
    {
        m = 0;
        int p = 0;
        while (p < s.Length && s[p] != 0)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= s.Length || s[p] == 0)
                {
                    // C would read the terminator as a digit and then run past the end of the string.
                    at = p;
                    return StringError.Truncated;
                }

                if (s[p] is < FirstChar or > LastChar)
                {
                    at = p;
                    return StringError.BadCharacter;
                }

                if (k == MaxCharsPerCount)
                {
                    // The C code shifts a 32-bit int by 35 or more bits here (undefined behaviour).
                    at = p;
                    return StringError.TooLong;
                }

                int c = s[p] - FirstChar;
                // x |= (c & 0x1f) << 5*k: an int shift, sign-extended to long (k <= 6 keeps it defined).
                long digits = (int)((uint)(c & 0x1f) << (5 * k));
                x |= digits;
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0)
                {
                    long sign = (int)(uint.MaxValue << (5 * k));
                    x |= sign;
                }
            }

            if (m > 2)
            {
                x += counts[m - 2];
            }

            counts[m++] = unchecked((uint)x);
        }

        at = -1;
        return StringError.None;
    }

    /// <summary>rleToString: the compressed form of <paramref name="counts"/>; returns the characters written.</summary>
    /// <param name="counts">The counts.</param>
    /// <param name="s">At least <see cref="MaxCharsPerCount"/> * counts.Length long.</param>
    public static int ToString(ReadOnlySpan<uint> counts, Span<byte> s)
    {
        int p = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            long x = counts[i];
            if (i > 2)
            {
                x -= counts[i - 2];
            }

            bool more = true;
            while (more)
            {
                int c = (int)(x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                {
                    c |= 0x20;
                }

                s[p++] = (byte)(c + FirstChar);
            }
        }

        return p;
    }

    /// <summary>rleArea: the sum of the odd runs (uint arithmetic, as in C).</summary>
    public static uint Area(ReadOnlySpan<uint> counts)
    {
        uint a = 0;
        for (int j = 1; j < counts.Length; j += 2)
        {
            a = unchecked(a + counts[j]);
        }

        return a;
    }

    /// <summary>
    /// <see cref="Area(ReadOnlySpan{uint})"/>, and whether no run but the first and the last is empty (what
    /// pycocotools' encoder, rleFrPoly and rleMerge write), so that <see cref="IouOfRuns"/> gives <see cref="Iou"/>'s value.
    /// </summary>
    public static uint Area(ReadOnlySpan<uint> counts, out bool runsNonEmpty)
    {
        runsNonEmpty = counts.Length < 3 || !counts[1..^1].Contains(0u);
        return Area(counts);
    }

    /// <summary>rleToBbox: [x, y, w, h] of the foreground (all 0 for an empty mask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToBbox(ReadOnlySpan<uint> counts, uint h, uint w, Span<double> bb)
    {
        int m = counts.Length / 2 * 2;
        uint xs = w, ys = h, xe = 0, ye = 0, cc = 0;
        if (m == 0)
        {
            bb[0] = bb[1] = bb[2] = bb[3] = 0;
            return;
        }

        // The column x and row y of a run's ends: runs come in position order, mostly in the column of the run before
        // or the next, so the column is carried along (col = x * h) and a division is needed only after a longer gap
        // or for a run that crosses columns. A division per run end was a tenth of the evaluation. (h = 0 has no
        // pixels: a non-empty run divides by zero, as before.)
        uint x = 0, col = 0;
        unchecked
        {
            for (int j = 0; j < m; j += 2)
            {
                uint start = cc + counts[j];
                uint run = counts[j + 1];
                cc = start + run;
                if (run == 0)
                {
                    continue;
                }

                uint xStart, yStart, xEnd, yEnd;
                uint offset = start - col;
                if (start >= col && offset < h)
                {
                    (xStart, yStart) = (x, offset);
                }
                else if (start >= col && offset - h < h)
                {
                    // The next column (col + h <= start, so it does not wrap).
                    x++;
                    col += h;
                    (xStart, yStart) = (x, offset - h);
                }
                else
                {
                    (xStart, yStart) = Math.DivRem(start, h);
                    (x, col) = (xStart, start - yStart);
                }

                uint end = cc - 1;
                offset = end - col;
                if (end >= col && offset < h)
                {
                    (xEnd, yEnd) = (x, offset);
                }
                else
                {
                    (xEnd, yEnd) = Math.DivRem(end, h);
                    (x, col) = (xEnd, end - yEnd);
                }

                xs = Math.Min(xs, xStart);
                xe = Math.Max(xe, xEnd);
                if (xStart < xEnd)
                {
                    // The run crosses a column boundary, so it covers the whole height somewhere.
                    ys = 0;
                    ye = h - 1;
                }
                else
                {
                    ys = Math.Min(ys, yStart);
                    ye = Math.Max(ye, yEnd);
                }
            }

            bb[0] = xs;
            bb[2] = xe - xs + 1;
            bb[1] = ys;
            bb[3] = ye - ys + 1;
        }
    }

    /// <summary>
    /// The run walk of rleIou for one (detection, ground truth) pair of the same size, after its box IoU was found
    /// &gt; 0: intersection over union, where a crowd ground truth's union is the detection's area.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Iou(ReadOnlySpan<uint> dt, ReadOnlySpan<uint> gt, bool crowd)
    {
        uint ca = dt[0], cb = gt[0], i = 0, u = 0, ct = 1;
        int ka = dt.Length, kb = gt.Length, a = 1, b = 1;
        bool va = false, vb = false;
        unchecked
        {
            while (ct > 0)
            {
                uint c = Math.Min(ca, cb);
                if (va || vb)
                {
                    u += c;
                    if (va && vb)
                    {
                        i += c;
                    }
                }

                ct = 0;
                ca -= c;
                if (ca == 0 && a < ka)
                {
                    ca = dt[a++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && b < kb)
                {
                    cb = gt[b++];
                    vb = !vb;
                }

                ct += cb;
            }
        }

        if (i == 0)
        {
            u = 1;
        }
        else if (crowd)
        {
            u = Area(dt);
        }

        return i / (double)u;
    }

    /// <summary>
    /// <see cref="Iou"/> for masks whose runs are all non-empty but the first and the last (see <see cref="Area(ReadOnlySpan{uint}, out bool)"/>):
    /// the C code walks every run of both masks and counts the pixels covered by both and by either; here only the
    /// foreground runs are visited, their overlaps summed, and the union is |dt| + |gt| - intersection, the same whole
    /// numbers. (An empty run inside both masks at the same place ends the C walk early; such masks take the walk.)
    /// </summary>
    /// <param name="dt">The detection's counts.</param>
    /// <param name="dtArea">Its <see cref="Area(ReadOnlySpan{uint})"/>.</param>
    /// <param name="gt">The ground truth's counts (covering as many pixels as the detection's).</param>
    /// <param name="gtArea">Its <see cref="Area(ReadOnlySpan{uint})"/>.</param>
    /// <param name="crowd">Whether the ground truth is a crowd region.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double IouOfRuns(ReadOnlySpan<uint> dt, uint dtArea, ReadOnlySpan<uint> gt, uint gtArea, bool crowd)
    {
        uint i = 0;
        unchecked
        {
            int a = 0, b = 0;
            uint aEnd = 0, bEnd = 0;
            if (NextRun(dt, ref a, ref aEnd, out uint aStart) && NextRun(gt, ref b, ref bEnd, out uint bStart))
            {
                while (true)
                {
                    uint from = Math.Max(aStart, bStart), to = Math.Min(aEnd, bEnd);
                    if (to > from)
                    {
                        i += to - from;
                    }

                    if (aEnd <= bEnd)
                    {
                        if (!NextRun(dt, ref a, ref aEnd, out aStart))
                        {
                            break;
                        }
                    }
                    else if (!NextRun(gt, ref b, ref bEnd, out bStart))
                    {
                        break;
                    }
                }
            }

            uint u = i == 0 ? 1 : crowd ? dtArea : dtArea + gtArea - i;
            return i / (double)u;
        }
    }

    /// <summary>The next foreground run [start, end) after the one ending at <paramref name="end"/>; false when none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NextRun(ReadOnlySpan<uint> counts, ref int at, ref uint end, out uint start)
    {
        if (at + 1 >= counts.Length)
        {
            start = end;
            return false;
        }

        start = unchecked(end + counts[at]);
        end = unchecked(start + counts[at + 1]);
        at += 2;
        return true;
    }

    /// <summary>
    /// One step of rleMerge with intersect = 0 (it folds masks left to right): the union of two masks of the same
    /// size, written into <paramref name="into"/> (at least a.Length + b.Length long); returns the counts written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Union(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> into)
    {
        uint ca = a[0], cb = b[0], cc = 0, ct = 1;
        bool v = false, va = false, vb = false;
        int ia = 1, ib = 1, m = 0;
        unchecked
        {
            while (ct > 0)
            {
                uint c = Math.Min(ca, cb);
                cc += c;
                ct = 0;
                ca -= c;
                if (ca == 0 && ia < a.Length)
                {
                    ca = a[ia++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && ib < b.Length)
                {
                    cb = b[ib++];
                    vb = !vb;
                }

                ct += cb;
                bool vp = v;
                v = va || vb;
                if (v != vp || ct == 0)
                {
                    into[m++] = cc;
                    cc = 0;
                }
            }
        }

        return m;
    }

    /// <summary>
    /// rleFrPoly: rasterises a closed polygon the way pycocotools does: vertices scaled by 5 and rounded with a C
    /// cast, each edge walked along its major axis, a boundary kept where the up-sampled x changes and lands on a
    /// pixel centre, mapped back to pixel coordinates; then the sorted boundary positions become run lengths.
    /// </summary>
    /// <remarks>
    /// The C code stores every up-sampled point of the outline and then scans them. Here the scan happens during the
    /// walk, and only the points where x can cross a pixel centre are visited: (u' + .5) / 5 - .5 is a whole number
    /// exactly when u' = 5 x + 2. Along an edge whose major axis is x (u changes at every step) that is one step in
    /// five; along an edge whose major axis is y, u = (int)(xs + s t + .5) is monotone in t, so the step where it
    /// passes 5 x + 2 is found from an estimate and two or three evaluations instead of walking five steps per pixel
    /// of height. Each visited point is computed with the C code's expressions, so the boundaries, and the counts,
    /// are the same (checked against a literal port on random polygons and against pycocotools' own output).
    /// </remarks>
    /// <param name="xy">x0, y0, x1, y1, ... (an odd last number is ignored, as int(len/2) does).</param>
    /// <param name="h">Mask height.</param>
    /// <param name="w">Mask width.</param>
    /// <param name="scratch">Working buffers.</param>
    /// <returns>The counts (a view of <paramref name="scratch"/>'s buffer, valid until its next polygon).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<uint> FrPoly(ReadOnlySpan<double> xy, uint h, uint w, MaskScratch scratch)
    {
        int k = xy.Length / 2;
        var x = scratch.Ints(0, k + 1);
        var y = scratch.Ints(1, k + 1);
        for (int j = 0; j < k; j++)
        {
            x[j] = CInt((Scale * xy[j * 2]) + .5);
        }

        x[k] = x[0];
        for (int j = 0; j < k; j++)
        {
            y[j] = CInt((Scale * xy[(j * 2) + 1]) + .5);
        }

        y[k] = y[0];
        long total = 0;
        for (int j = 0; j < k; j++)
        {
            total += Math.Max(Math.Abs((long)x[j] - x[j + 1]), Math.Abs((long)y[j] - y[j + 1])) + 1;
        }

        // At most one boundary per walked point, plus the end of the mask.
        var boundary = new Boundary(scratch.Uints(0, checked((int)total + 1)), h, w);
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
                // Point d of the edge: t = flip ? dx - d : d, u = t + xs, v = (int)(ys + s * t + .5).
                int u0 = flip ? xs + dx : xs;
                boundary.Step(u0, CInt(ys + (s * (flip ? dx : 0)) + .5));

                // d >= 1 always changes u; u' = the smaller of u(d), u(d - 1) must be 5 x + 2.
                long first = flip ? Mod((long)u0 - 3, 5) + 1 : Mod(2 - (long)u0, 5) + 1;
                for (long d = first; d <= dx; d += 5)
                {
                    int t = flip ? dx - (int)d : (int)d;
                    int tPrevious = flip ? t + 1 : t - 1;
                    int u = flip ? u0 - (int)d : u0 + (int)d;
                    boundary.Cross(u, CInt(ys + (s * t) + .5), flip ? u + 1 : u - 1, CInt(ys + (s * tPrevious) + .5));
                }

                boundary.Move(flip ? u0 - dx : u0 + dx, CInt(ys + (s * (flip ? 0 : dx)) + .5));
            }
            else
            {
                // Point d of the edge: t = flip ? dy - d : d, u = (int)(xs + s * t + .5), v = t + ys.
                int tFirst = flip ? dy : 0;
                boundary.Step(CInt(xs + (s * tFirst) + .5), tFirst + ys);
                if (dx > 0 && Math.Abs((long)xs) <= YMajorSearchLimit && Math.Abs((long)xe) <= YMajorSearchLimit)
                {
                    YMajorCrossings(ref boundary, xs, ys, dy, s, flip, w);
                }
                else if (dx > 0)
                {
                    // Vertices beyond the int range (C casts them to INT_MIN): walk every point as the C code does.
                    for (int d = 1; d <= dy; d++)
                    {
                        int t = flip ? dy - d : d;
                        boundary.Step(CInt(xs + (s * t) + .5), t + ys);
                    }
                }

                // With dx = 0, s = 0 and u is the same at every point of the edge: nothing crosses inside it.
                int tLast = flip ? 0 : dy;
                boundary.Move(CInt(xs + (s * tLast) + .5), tLast + ys);
            }
        }

        k = boundary.Count;
        var a = boundary.Positions;
        // Run lengths from the sorted boundary positions x * h + y (zero-length runs folded).
        a[k++] = unchecked((uint)((ulong)h * w));

        // Every position x * h + y (x < w, y <= h) is at most h * w, which stays last: sorted without it, the positions
        // span only the polygon's columns. A width of 0 puts no bound on x, and its positions wrap.
        UintSort.Sort(w == 0 ? a[..k] : a[..(k - 1)], scratch.Uints(1, k));
        uint p = 0;
        for (int j = 0; j < k; j++)
        {
            uint t = a[j];
            a[j] = unchecked(a[j] - p);
            p = t;
        }

        var b = scratch.Uints(1, k);
        int jj = 0;
        int m = 0;
        b[m++] = a[jj++];
        while (jj < k)
        {
            if (a[jj] > 0)
            {
                b[m++] = a[jj++];
            }
            else
            {
                jj++;
                if (jj < k)
                {
                    b[m - 1] = unchecked(b[m - 1] + a[jj++]);
                }
            }
        }

        return b[..m];
    }

    /// <summary>
    /// How many points rleFrPoly walks for a polygon (its buffer's length): over the edges, the longer axis of the
    /// up-sampled, C-cast vertices + 1. Readers refuse a polygon whose walk is absurdly long before it is evaluated.
    /// </summary>
    /// <param name="xy">x0, y0, x1, y1, ... (at least one point).</param>
    public static long WalkLength(ReadOnlySpan<double> xy)
    {
        int k = xy.Length / 2;
        long total = 0;
        long x = CInt((Scale * xy[2 * (k - 1)]) + .5), y = CInt((Scale * xy[(2 * (k - 1)) + 1]) + .5);
        for (int j = 0; j < k; j++)
        {
            // Edge (j - 1, j), the last closing the outline: the same edges as (j, j + 1 mod k).
            long xNext = CInt((Scale * xy[2 * j]) + .5), yNext = CInt((Scale * xy[(2 * j) + 1]) + .5);
            total += Math.Max(Math.Abs(xNext - x), Math.Abs(yNext - y)) + 1;
            (x, y) = (xNext, yNext);
        }

        return total;
    }

    /// <summary>
    /// Whether <see cref="WalkLength"/> is at most <paramref name="limit"/>, from the coordinates' extent where that
    /// settles it: an edge walks at most 5 * (the larger span) + 2 points (each end's C cast moves it by less than 1),
    /// so a polygon of k points inside an image-sized box is far below any sensible limit without casting each point.
    /// </summary>
    public static bool WalkAtMost(ReadOnlySpan<double> xy, long limit)
    {
        int k = xy.Length / 2;
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int j = 0; j < k; j++)
        {
            double x = xy[2 * j], y = xy[(2 * j) + 1];
            xMin = Math.Min(xMin, x);
            xMax = Math.Max(xMax, x);
            yMin = Math.Min(yMin, y);
            yMax = Math.Max(yMax, y);
        }

        // Inside +-4e8 no point casts to INT_MIN (5 * 4e8 + .5 < 2^31); NaN fails the test and takes the exact count.
        const double Safe = 4e8;
        bool inRange = xMin > -Safe && xMax < Safe && yMin > -Safe && yMax < Safe;
        if (inRange && k * ((Scale * Math.Max(xMax - xMin, yMax - yMin)) + 2) <= limit)
        {
            return true;
        }

        return WalkLength(xy) <= limit;
    }

    /// <summary>
    /// Largest |x| (up-sampled) of a y-major edge's ends for which <see cref="YMajorCrossings"/> searches: every
    /// xs + s t + .5 along the edge is then far inside the int range, so the C cast truncates and u is monotone in t.
    /// </summary>
    private const long YMajorSearchLimit = 1L << 30;

    /// <summary>
    /// The boundaries inside a y-major edge (its points d = 1 .. dy, each against the one before): u(t) =
    /// (int)(xs + s t + .5) is monotone in t (rounding and truncation are), so for every pixel centre 5 c + 2 that u
    /// passes, the pair of points where it passes is found by an estimate of t and a local search, evaluated with the
    /// C code's expressions. A pair is kept when the walk's own test would see a crossing at that centre: u differs
    /// and the smaller-side x (u or u - 1 by direction, as in the C code's scan) is 5 c + 2, so jumps of more than one
    /// step, which rounding could make, are counted once, at the centre they cross.
    /// </summary>
    private static void YMajorCrossings(ref Boundary boundary, int xs, int ys, int dy, double s, bool flip, uint w)
    {
        int uFirst = CInt(xs + .5);
        int uLast = CInt(xs + (s * dy) + .5);
        bool rising = uLast > uFirst;
        int lo = Math.Min(uFirst, uLast), hi = Math.Max(uFirst, uLast);

        // Centres 5 c + 2 in [lo, hi), and only those that map to a column 0 .. w - 1 (a width of 0 has no limit).
        long target = Math.Max(2, lo + Mod(2 - (long)lo, 5));
        long last = w == 0 ? hi - 1 : Math.Min(hi - 1, (5L * (w - 1)) + 2);
        double perU = 1 / s;
        for (; target <= last; target += 5)
        {
            // t = the first point past the target along t: u(t - 1) <= target < u(t) when rising, u(t - 1) > target >= u(t)
            // when falling; about where xs + s t + .5 = target + 1 (u >= 2 here, so the cast rounds down).
            double guess = (target + .5 - xs) * perU;
            int t = guess >= dy ? dy : guess <= 1 ? 1 : (int)Math.Ceiling(guess);
            int uBefore = CInt(xs + (s * (t - 1)) + .5);
            while (t > 1 && (rising ? uBefore > target : uBefore <= target))
            {
                t--;
                uBefore = CInt(xs + (s * (t - 1)) + .5);
            }

            int uAt = CInt(xs + (s * t) + .5);
            while (rising ? uAt <= target : uAt > target)
            {
                t++;
                uBefore = uAt;
                uAt = CInt(xs + (s * t) + .5);
            }

            // The walk meets the pair as (t - 1, t), or as (t, t - 1) along a flipped edge.
            int u = flip ? uBefore : uAt, uPrevious = flip ? uAt : uBefore;
            if ((u < uPrevious ? u : u - 1) == target)
            {
                boundary.Add((int)target, t - 1 + ys);
            }
        }
    }

    /// <summary>Python-style modulo (the result has the divisor's sign).</summary>
    private static long Mod(long a, long n) => ((a % n) + n) % n;

    /// <summary>
    /// C's <c>(int)</c> of a double on x86-64 (cvttsd2si): truncation toward zero, and 0x80000000 for NaN or a value
    /// outside the int range (.NET saturates instead).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CInt(double value) =>
        value is > -2147483649.0 and < 2147483648.0 ? (int)value : int.MinValue;

    /// <summary>
    /// rleFrPoly's scan of the up-sampled outline (the C code's second loop), point by point: a point whose u differs
    /// from the previous point's is a crossing; a crossing at a pixel centre inside the mask's width becomes the
    /// boundary position x * h + y.
    /// </summary>
    private ref struct Boundary(Span<uint> positions, uint h, uint w)
    {
        private readonly Span<uint> positions = positions;
        private bool started;
        private int pu;
        private int pv;

        public int Count { get; private set; }

        public readonly Span<uint> Positions => positions;

        /// <summary>The next point of the outline, compared with the previous one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(int u, int v)
        {
            if (started && u != pu)
            {
                Cross(u, v, pu, pv);
            }

            Move(u, v);
        }

        /// <summary>Makes (u, v) the previous point without looking at it (its crossing was handled, or it has none).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Move(int u, int v)
        {
            started = true;
            pu = u;
            pv = v;
        }

        /// <summary>A crossing between point (u, v) and the point before it, (uPrevious, vPrevious), with u != uPrevious.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Cross(int u, int v, int uPrevious, int vPrevious) =>
            Add(unchecked(u < uPrevious ? u : u - 1), v < vPrevious ? v : vPrevious);

        /// <summary>
        /// The C code's test and mapping of a crossing whose smaller-side x is <paramref name="xu"/> and smaller y
        /// <paramref name="yv"/> (up-sampled): xd = (xu + .5) / 5 - .5 must be a whole number in [0, w - 1], yd =
        /// (yv + .5) / 5 - .5 is clamped to [0, h] and rounded up. In integers: xu = 5 x + 2, and yd rounded up is
        /// (yv + 2) / 5. The doubles give exactly these for every int: (xu + .5) / 5 is x + .5 exactly when xu = 5 x + 2
        /// and otherwise lies at least .1 from every half, far beyond its rounding error, and likewise for yd.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int xu, int yv)
        {
            if (xu < 2 || (xu - 2) % 5 != 0)
            {
                return;
            }

            int xd = (xu - 2) / 5;
            if (w != 0 && (uint)xd >= w)
            {
                // xd > w - 1 (the C code's w - 1 wraps to the largest size_t when w == 0, so nothing is beyond it).
                return;
            }

            long yd = yv <= 2 ? 0 : Math.Min(((long)yv + 2) / 5, h);
            positions[Count++] = unchecked((uint)((xd * (int)h) + (int)yd));
        }
    }
}
