using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// One system under test through one scenario, as <c>rfcnperf load --scenario</c> runs it: a few unmeasured
/// warm-up queries (LoadGen has none; the first runs of a session plan memory and compile kernels), then the run or
/// the peak search, the summary printed and saved as text and JSON.
/// </summary>
internal static class ScenarioSession
{
    /// <summary>Unmeasured single-sample queries before timing.</summary>
    public const int WarmupQueries = 3;

    /// <summary>
    /// Warms <paramref name="sut"/> up, builds the settings from the warm-up's last latency (ms, the expected latency
    /// when none was given), runs, prints and saves into <paramref name="dir"/> with <paramref name="prefix"/>.
    /// </summary>
    public static async Task<ScenarioOutcome> RunAsync(ISystemUnderTest sut, SampleLibrary library, Func<double, ScenarioSettings> settingsFor,
        bool findPeak, string dir, string prefix, TextWriter log, CancellationToken cancel)
    {
        var warm = ScenarioClock.StartReal();
        double lastMs = 0;
        for (var i = 0; i < WarmupQueries; i++)
        {
            var began = warm.NowNs;
            var answers = await sut.IssueAsync(new ScenarioQuery(-1, [i % library.Count], began), warm, cancel).ConfigureAwait(false);
            if (answers[0].Error is { } error)
            {
                throw new Core.RfcnPerfException($"{sut.Name}: the warm-up query failed ({error}); is the system under test up?");
            }

            lastMs = (answers[0].CompletedNs - began) / 1e6;
        }

        var settings = settingsFor(lastMs) with { PerformanceSampleCount = library.Count, LibrarySeed = library.Seed };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sut.Name}: {LoadScenarioNames.Name(settings.Scenario)}, {library.Count} of {library.Available} images loaded (seed {library.Seed}), warm-up latency {lastMs:F1} ms, min duration {settings.MinDurationNs / 1e9:G4} s ({settings.MinDurationSource}), min queries {settings.MinQueryCount}") +
            (settings.Scenario == LoadScenario.Offline ? $", one query of {settings.SamplesPerQuery} samples" : string.Empty));

        async Task<ScenarioSummary> Run(ScenarioSettings s) =>
            new(sut.Name, s, await ScenarioRunner.RunAsync(s, sut, library.Count, ScenarioClock.StartReal(), cancel).ConfigureAwait(false));

        if (!findPeak)
        {
            var summary = await Run(settings).ConfigureAwait(false);
            ScenarioReport.Write(summary, log);
            var (text, json) = ScenarioReport.Save(summary, dir, prefix);
            log.WriteLine($"wrote {text} and {json}");
            return new ScenarioOutcome(summary, null);
        }

        var peak = await PeakFinder.FindAsync(settings, Run, log.WriteLine).ConfigureAwait(false);
        Directory.CreateDirectory(dir);
        var probes = new JsonArray([.. peak.Probes.Select(p => (JsonNode?)ScenarioReport.Json(p))]);
        var peakJson = new JsonObject
        {
            ["loadgen_peak_qps"] = peak.LoadGenPeak?.Settings.TargetQps,
            ["early_stopping_peak_qps"] = peak.EarlyStoppingPeak?.Settings.TargetQps,
            ["note"] = peak.Note,
            ["probes"] = probes,
        };
        var path = Path.Combine(dir, prefix + "find-peak.json");
        File.WriteAllText(path, peakJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (peak.LoadGenPeak is { } best)
        {
            log.WriteLine("The peak run (LoadGen's FindPeakPerformance result):");
            ScenarioReport.Write(best, log);
            ScenarioReport.Save(best, dir, prefix + "peak-");
        }

        log.WriteLine(PeakLine(peak, settings));
        log.WriteLine($"wrote {path}");
        return new ScenarioOutcome(peak.LoadGenPeak, peak);
    }

    /// <summary>The search's result in one line: LoadGen's peak (latency bound only) and the peak that also passes early stopping.</summary>
    public static string PeakLine(PeakResult peak, ScenarioSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"peak QPS at {settings.PercentileName} <= {settings.TargetLatencyNs / 1e6:G4} ms: ") +
        $"{(peak.LoadGenPeak is { } l ? l.Settings.TargetQps.ToString("F3", CultureInfo.InvariantCulture) : "none")} (LoadGen's: latency bound only), " +
        $"{(peak.EarlyStoppingPeak is { } e ? e.Settings.TargetQps.ToString("F3", CultureInfo.InvariantCulture) : "none")} (also passing early stopping), {peak.Probes.Count} probes" +
        (peak.Note is { } note ? $"; {note}" : string.Empty);
}
