using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The server's peak QPS under its latency bound, as LoadGen's FindPeakPerformanceMode searches it (loadgen.cc
/// FindBoundaries, FindPeakPerformanceBinarySearch; test_settings_internal.h): run the given QPS, which must meet the
/// bound; multiply by (1 + step) until a run fails it; binary-search between the last pass and the first failure
/// until the bounds agree to 0.1 QPS. LoadGen's peak looks at the latency bound only; we also report the highest
/// probe that passed early stopping too.
/// </summary>
internal static class PeakFinder
{
    /// <summary>LoadGen's server_find_peak_qps_boundary_step_size: 1, so the QPS doubles.</summary>
    public const double BoundaryStep = 1;

    /// <summary>LoadGen's server_find_peak_qps_decimals_of_precision: 1.</summary>
    public const int DecimalsOfPrecision = 1;

    /// <summary>Probes after which the search stops even if unfinished (LoadGen has none; a guard for a system whose bound never fails).</summary>
    public const int MaxProbes = 40;

    /// <summary>Searches from <paramref name="start"/>'s QPS; <paramref name="run"/> runs one probe; every probe is logged.</summary>
    public static async Task<PeakResult> FindAsync(ScenarioSettings start, Func<ScenarioSettings, Task<ScenarioSummary>> run, Action<string> log)
    {
        if (start.Scenario != LoadScenario.Server)
        {
            throw new Core.RfcnPerfException("--find-peak works with --scenario server only (as LoadGen's FindPeakPerformance)");
        }

        var probes = new List<ScenarioSummary>();
        async Task<ScenarioSummary> Probe(double qps, string why)
        {
            var summary = await run(start with { TargetQps = qps }).ConfigureAwait(false);
            probes.Add(summary);
            log(string.Create(CultureInfo.InvariantCulture,
                $"probe {probes.Count,2} ({why}): {qps:F3} QPS -> {summary.Settings.PercentileName} {ScenarioSummary.Ms(summary.TargetPercentileNs)} ms, {summary.OverLatencyCount}/{summary.SampleCount} over {ScenarioSummary.Ms(start.TargetLatencyNs)} ms, " +
                $"bound {(summary.PerfConstraintsMet ? "met" : "NOT met")}, early stopping {(summary.EarlyStoppingMet ? "met" : "NOT met")}, {(summary.Valid ? "VALID" : "INVALID")}"));
            return summary;
        }

        var lower = await Probe(start.TargetQps, "the given QPS").ConfigureAwait(false);
        if (!lower.PerfConstraintsMet)
        {
            return new PeakResult(null, EarlyStoppingPeak(probes), probes, "the starting QPS does not meet the latency bound; start lower");
        }

        // FindBoundaries: widen until the bound fails.
        ScenarioSummary upper;
        while (true)
        {
            upper = await Probe(lower.Settings.TargetQps * (1 + BoundaryStep), "widening").ConfigureAwait(false);
            if (!upper.PerfConstraintsMet)
            {
                break;
            }

            lower = upper;
            if (probes.Count >= MaxProbes)
            {
                return new PeakResult(lower, EarlyStoppingPeak(probes), probes, $"stopped after {MaxProbes} probes without the bound failing");
            }
        }

        // FindPeakPerformanceBinarySearch.
        while (!IsFinished(lower.Settings.TargetQps, upper.Settings.TargetQps) && probes.Count < MaxProbes)
        {
            var mid = lower.Settings.TargetQps + ((upper.Settings.TargetQps - lower.Settings.TargetQps) / 2);
            var m = await Probe(mid, "binary search").ConfigureAwait(false);
            if (m.PerfConstraintsMet)
            {
                lower = m;
            }
            else
            {
                upper = m;
            }
        }

        return new PeakResult(lower, EarlyStoppingPeak(probes), probes, null);
    }

    /// <summary>find_peak_performance::IsFinished: the bounds agree to <see cref="DecimalsOfPrecision"/> decimals.</summary>
    public static bool IsFinished(double lower, double upper)
    {
        var scale = Math.Pow(10, DecimalsOfPrecision);
        return Math.Floor(lower * scale) + 1 >= Math.Floor(upper * scale);
    }

    private static ScenarioSummary? EarlyStoppingPeak(List<ScenarioSummary> probes) =>
        probes.Where(p => p.PerfConstraintsMet && p.EarlyStoppingMet).MaxBy(p => p.Settings.TargetQps);
}
