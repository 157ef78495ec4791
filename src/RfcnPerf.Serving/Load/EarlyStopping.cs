using RfcnPerf.Statistics;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// LoadGen's early stopping (loadgen/early_stopping.cc, MinPassingQueriesFinder): the smallest number of
/// under-bound queries h such that, with t over-bound queries among h + t, the chance that the true percentile
/// p is met is at least the confidence c. The search keeps LoadGen's per-(p, d, c) cache and its interpolated
/// search range exactly, so the same calls in the same order give the same answers as LoadGen.
/// </summary>
/// <remarks>
/// The binomial tail is the regularized incomplete beta I_{p-d}(h, 1 + t) from RfcnPerf.Statistics (Perfolizer's
/// computation; LoadGen sums a hypergeometric series instead).
/// </remarks>
internal sealed class EarlyStopping
{
    /// <summary>LoadGen's confidence for every early-stopping estimate (results.cc).</summary>
    public const double Confidence = 0.99;

    /// <summary>LoadGen's tolerance d (results.cc): none.</summary>
    public const double Tolerance = 0.0;

    private readonly Dictionary<(double P, double D, double C), SortedList<long, long>> caches = [];

    /// <summary>Chance of t or fewer over-bound queries among h + t when each is over with probability 1 - (p - d).</summary>
    public static double Odds(long h, long t, double p, double d) => IncompleteBeta.Regularized(h, 1 + t, p - d);

    /// <summary>MinPassingQueriesFinder::operator(): the minimum h with Odds(h, t, p, d) below 1 - c.</summary>
    public long MinPassing(long t, double p, double d = Tolerance, double c = Confidence)
    {
        if (!caches.TryGetValue((p, d, c), out var cache))
        {
            cache = [];
            caches[(p, d, c)] = cache;
        }

        if (cache.TryGetValue(t, out var known))
        {
            return known;
        }

        // LoadGen interpolates the search range from the two cached entries just below t (std::map::lower_bound).
        var below = cache.Keys.Where(k => k < t).ToArray();
        long x0 = -1, y0 = 0, x1 = 0;
        var y1 = (long)Math.Ceiling(Math.Log(1 - c) / Math.Log(p - d));
        if (below.Length >= 1)
        {
            x1 = below[^1];
            y1 = cache[x1];
        }

        if (below.Length >= 2)
        {
            x0 = below[^2];
            y0 = cache[x0];
        }

        var minSlope = (p - d) / (1 - p + d);

        // LoadGen multiplies where a slope would divide; kept as is: it only widens the range searched.
        double maxSlope = (y1 - y0) * (x1 - x0);
        var minH = (long)((t - x1) * minSlope + y1);
        var maxH = (long)((t - x1) * maxSlope + y1 + 1);
        var h = FindMinPassing(minH, maxH, t, p, d, c);
        cache[t] = h;
        return h;
    }

    /// <summary>
    /// The queries a run needs for early stopping to pass at percentile <paramref name="p"/> with
    /// <paramref name="overBound"/> queries over the bound: h + t, as the rules' table gives it (64 at p90 with one
    /// over-bound query, 459 at p99 with none, 662 with one).
    /// </summary>
    public long MinQueries(long overBound, double p) => MinPassing(overBound, p) + overBound;

    // find_min_passing: a lower-bound binary search on [minH, maxH] (std::lower_bound's shape).
    private static long FindMinPassing(long minH, long maxH, long t, double p, double d, double c)
    {
        var count = maxH - minH;
        while (count > 0)
        {
            var step = count / 2;
            var h = minH + step;
            if (Odds(h, t, p, d) < 1 - c)
            {
                count = step;
            }
            else
            {
                minH = h + 1;
                count -= step + 1;
            }
        }

        return minH;
    }
}
