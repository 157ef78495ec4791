using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Steady-state latency statistics in milliseconds. The first sample (warm-up) is reported apart and
/// excluded from the rest. Percentiles are <see cref="Percentiles.Linear"/> (Hyndman-Fan type 7, numpy's default).
/// </summary>
public sealed record LatencySummary(int Count, double FirstMs, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MinMs, double MaxMs)
{
    /// <summary>Summarises samples in run order; the first one is the warm-up.</summary>
    public static LatencySummary FromSamples(IReadOnlyList<double> samplesMs)
    {
        if (samplesMs.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var steady = samplesMs.Skip(1).ToArray();
        if (steady.Length == 0)
        {
            steady = [samplesMs[0]];
        }

        Array.Sort(steady);
        return new LatencySummary(
            steady.Length, samplesMs[0], steady.Average(), Percentile(steady, 50), Percentile(steady, 90),
            Percentile(steady, 99), steady[0], steady[^1]);
    }

    /// <summary>
    /// Summarises runs flagged as warm-up or steady: <see cref="FirstMs"/> is the first warm-up, the statistics
    /// cover the steady runs (or the warm-ups when there is nothing else).
    /// </summary>
    public static LatencySummary FromRuns(IEnumerable<(double Ms, bool Warmup)> runs)
    {
        var all = runs.ToArray();
        if (all.Length == 0)
        {
            return FromSamples([]);
        }

        var first = all.FirstOrDefault(r => r.Warmup, all[0]).Ms;
        var steady = all.Where(r => !r.Warmup).Select(r => r.Ms).ToArray();
        return FromSamples([first, .. steady.Length > 0 ? steady : all.Select(r => r.Ms)]);
    }

    /// <summary>The latency percentile definition, <see cref="Percentiles.Linear"/>, of <paramref name="sorted"/> (NaN when empty).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent) => Percentiles.Linear(sorted, percent);
}
