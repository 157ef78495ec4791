using System.Globalization;

namespace RfcnPerf.Statistics;

/// <summary>
/// The ratio B/A within one run, from paired rounds (each round measured A and B back to back, so both saw the
/// same machine): exp(median of the per-round log ratios ln(B/A)), with a 95% percentile-bootstrap interval over
/// rounds (<see cref="DefaultReplicates"/> replicates of the rounds drawn with replacement, each giving the median;
/// the interval's ends are the 2.5th and 97.5th <see cref="Percentiles.Linear"/> percentiles of those medians).
/// The seed is part of the result's method text, so a logged result can be reproduced.
/// </summary>
public static class PairedRatio
{
    /// <summary>Bootstrap replicates per estimate.</summary>
    public const int DefaultReplicates = 2000;

    /// <summary>Estimates B/A from per-round times <paramref name="a"/>[i], <paramref name="b"/>[i] (same units, positive).</summary>
    public static RatioEstimate Estimate(IReadOnlyList<double> a, IReadOnlyList<double> b, ulong seed, double threshold = VerdictRule.DefaultThreshold, int replicates = DefaultReplicates)
    {
        var logs = LogRatios(a, b);
        var rng = new SplitMix64(seed);
        var resamples = Enumerable.Range(0, replicates).Select(_ => Draw(rng, logs.Length));
        return FromLogRatios(logs, resamples, threshold, string.Create(CultureInfo.InvariantCulture,
            $"paired: exp(median of {logs.Length} per-round log ratios), 95% percentile bootstrap over rounds ({replicates} replicates, seed {seed})"));
    }

    /// <summary>ln(b[i] / a[i]) for every round; both lists the same length, every time positive and finite.</summary>
    public static double[] LogRatios(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"paired samples differ in length: A has {a.Count} rounds, B has {b.Count}");
        }

        var logs = new double[a.Count];
        for (var i = 0; i < logs.Length; i++)
        {
            if (!(a[i] > 0 && b[i] > 0 && double.IsFinite(a[i]) && double.IsFinite(b[i])))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"round {i}: times must be positive and finite, got A {a[i]}, B {b[i]}"));
            }

            logs[i] = Math.Log(b[i]) - Math.Log(a[i]);
        }

        return logs;
    }

    /// <summary>
    /// The estimate from log ratios and explicit resamples (each an array of round indices, drawn with replacement):
    /// the seam the SciPy reference test drives with committed indices.
    /// </summary>
    internal static RatioEstimate FromLogRatios(double[] logs, IEnumerable<int[]> resamples, double threshold, string method)
    {
        VerdictRule.CheckThreshold(threshold);
        if (logs.Length == 0)
        {
            return RatioEstimate.None(method, threshold);
        }

        var medians = new List<double>();
        var buffer = new double[logs.Length];
        foreach (var indices in resamples)
        {
            if (indices.Length != logs.Length)
            {
                throw new ArgumentException($"a resample holds {indices.Length} indices for {logs.Length} rounds");
            }

            for (var i = 0; i < indices.Length; i++)
            {
                buffer[i] = logs[indices[i]];
            }

            Array.Sort(buffer);
            medians.Add(Percentiles.Median(buffer));
        }

        var lower = Math.Exp(Percentiles.Linear(medians, 100 * (1 - VerdictRule.Confidence) / 2));
        var upper = Math.Exp(Percentiles.Linear(medians, 100 * (1 + VerdictRule.Confidence) / 2));
        return RatioEstimate.Decided(Math.Exp(Percentiles.Median(logs)), lower, upper, logs.Length, threshold, method);
    }

    private static int[] Draw(SplitMix64 rng, int n)
    {
        var indices = new int[n];
        for (var i = 0; i < n; i++)
        {
            indices[i] = rng.NextInt(n);
        }

        return indices;
    }
}
