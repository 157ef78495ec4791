
namespace RfcnPerf.Quantization.Calibration;

/// <summary>
/// Running statistics of one tensor over a calibration set in bounded memory: minimum, maximum and a
/// histogram of <see cref="Bins"/> bins over [-R, R]. When a value exceeds R the histogram doubles R by
/// merging bin pairs (exact: every old bin maps into one new bin), so memory stays fixed however many images
/// pass and the result depends only on the values and their order (deterministic).
/// </summary>
public sealed class TensorStatistics
{
    /// <summary>Histogram bins over [-R, R] (even).</summary>
    public const int Bins = 4096;

    /// <summary>Quantization levels the entropy method's candidate thresholds are scored with (TensorRT, ORT: 128).</summary>
    public const int EntropyLevels = 128;

    private readonly long[] counts = new long[Bins];

    /// <summary>Smallest value seen.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>Largest value seen.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Values seen (NaN excluded).</summary>
    public long Count { get; private set; }

    /// <summary>Half-width of the histogram; 0 until a non-zero value was seen.</summary>
    public double Radius { get; private set; }

    /// <summary>Histogram counts (read-only view).</summary>
    public ReadOnlySpan<long> Counts => counts;

    /// <summary>Adds values.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (v < lo)
            {
                lo = v;
            }

            if (v > hi)
            {
                hi = v;
            }
        }

        if (float.IsInfinity(lo) && float.IsInfinity(hi) && lo > hi)
        {
            return; // empty or all NaN
        }

        Min = Math.Min(Min, lo);
        Max = Math.Max(Max, hi);
        var absMax = Math.Max(Math.Abs((double)lo), Math.Abs((double)hi));
        if (absMax > 0 && (Radius == 0 || absMax > Radius))
        {
            Grow(absMax);
        }

        if (Radius == 0)
        {
            counts[Bins / 2] += values.Length; // all zero so far
            Count += values.Length;
            return;
        }

        var perUnit = Bins / (2 * Radius);
        var r = Radius;
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            var bin = (int)((v + r) * perUnit);
            counts[Math.Clamp(bin, 0, Bins - 1)]++;
            Count++;
        }
    }

    /// <summary>The range to quantize with, by <paramref name="method"/>; always inside [Min, Max] and containing 0.</summary>
    public (double Min, double Max) Range(CalibrationMethod method, double percentile)
    {
        if (Count == 0)
        {
            return (0, 0);
        }

        var (lo, hi) = method switch
        {
            CalibrationMethod.Percentile => PercentileRange(percentile),
            CalibrationMethod.Entropy => EntropyRange(),
            _ => (Min, Max),
        };
        return (Math.Min(0, Math.Max(lo, Min)), Math.Max(0, Math.Min(hi, Max)));
    }

    private (double, double) PercentileRange(double percentile)
    {
        if (Radius == 0)
        {
            return (0, 0);
        }

        var tail = (long)Math.Floor(Count * (100 - percentile) / 100);
        var width = 2 * Radius / Bins;
        long seen = 0;
        var loBin = 0;
        for (; loBin < Bins - 1; loBin++)
        {
            seen += counts[loBin];
            if (seen > tail)
            {
                break;
            }
        }

        seen = 0;
        var hiBin = Bins - 1;
        for (; hiBin > 0; hiBin--)
        {
            seen += counts[hiBin];
            if (seen > tail)
            {
                break;
            }
        }

        // Bin edges that keep the bins holding the percentile values.
        return (-Radius + (loBin * width), -Radius + ((hiBin + 1) * width));
    }

    /// <summary>
    /// TensorRT's entropy calibration on the magnitude histogram (ORT calibrate.py get_entropy_threshold):
    /// for each candidate threshold i (in bins), P = the histogram up to i with the clipped tail added to its
    /// last bin, Q = P merged into 128 levels and spread back over P's non-empty bins; pick the i minimising
    /// KL(P || Q).
    /// </summary>
    private (double, double) EntropyRange()
    {
        if (Radius == 0)
        {
            return (0, 0);
        }

        const int half = Bins / 2;
        var magnitude = new double[half];
        for (var i = 0; i < half; i++)
        {
            magnitude[i] = counts[half + i] + counts[half - 1 - i];
        }

        var bestBins = half;
        var bestKl = double.PositiveInfinity;
        var p = new double[half];
        var q = new double[half];
        var suffix = new double[half + 1];
        for (var j = half - 1; j >= 0; j--)
        {
            suffix[j] = suffix[j + 1] + magnitude[j];
        }

        for (var i = EntropyLevels; i <= half; i++)
        {
            Array.Copy(magnitude, p, i);
            p[i - 1] += suffix[i];

            // Merge i bins into EntropyLevels groups, then spread each group's mass over its non-empty bins.
            var perLevel = (double)i / EntropyLevels;
            for (var level = 0; level < EntropyLevels; level++)
            {
                var start = (int)Math.Floor(level * perLevel);
                var end = level == EntropyLevels - 1 ? i : (int)Math.Floor((level + 1) * perLevel);
                double mass = 0;
                var nonEmpty = 0;
                for (var j = start; j < end; j++)
                {
                    mass += magnitude[j];
                    if (magnitude[j] > 0)
                    {
                        nonEmpty++;
                    }
                }

                for (var j = start; j < end; j++)
                {
                    q[j] = magnitude[j] > 0 ? mass / nonEmpty : 0;
                }
            }

            var kl = Kl(p.AsSpan(0, i), q.AsSpan(0, i));
            if (kl < bestKl)
            {
                bestKl = kl;
                bestBins = i;
            }
        }

        var threshold = bestBins * (Radius / half);
        return (-threshold, threshold);
    }

    private static double Kl(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (var i = 0; i < p.Length; i++)
        {
            sp += p[i];
            sq += q[i];
        }

        if (sp <= 0 || sq <= 0)
        {
            return double.PositiveInfinity;
        }

        double kl = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0)
            {
                continue;
            }

            var pi = p[i] / sp;
            var qi = q[i] / sq;
            kl += qi <= 0 ? pi * 30 : pi * Math.Log(pi / qi); // empty Q bin under mass: heavy, finite penalty
        }

        return kl;
    }

    private void Grow(double absMax)
    {
        if (Radius == 0)
        {
            // First non-zero data: the zeros counted so far sit in the centre bin, which stays the centre bin.
            Radius = absMax;
            return;
        }

        while (Radius < absMax)
        {
            // Doubling R: old bin i of [-R, R] lies inside new bin Bins/4 + i/2 of [-2R, 2R].
            var merged = new long[Bins];
            for (var i = 0; i < Bins; i++)
            {
                merged[(Bins / 4) + (i / 2)] += counts[i];
            }

            merged.CopyTo(counts, 0);
            Radius *= 2;
        }
    }
}
