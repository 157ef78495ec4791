using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The test settings a scenario runs with, as LoadGen's TestSettingsInternal derives them from the requested ones
/// (loadgen/test_settings_internal.cc). Times in nanoseconds, as LoadGen keeps them.
/// </summary>
internal sealed record ScenarioSettings
{
    /// <summary>LoadGen's default minimum query count (test_settings.h: min_query_count = 100).</summary>
    public const long LoadGenDefaultMinQueries = 100;

    /// <summary>Our default minimum duration when early stopping needs less (the floor).</summary>
    public static readonly TimeSpan DefaultMinDurationFloor = TimeSpan.FromSeconds(60);

    /// <summary>mlperf.conf's min_duration for every scenario (600000 ms).</summary>
    public static readonly TimeSpan OfficialMinDuration = TimeSpan.FromSeconds(600);

    /// <summary>Samples per query in multi-stream (mlperf.conf: *.MultiStream.samples_per_query = 8).</summary>
    public const int MultiStreamSamplesPerQuery = 8;

    /// <summary>mlperf.conf's minimum query count in multi-stream (662: early stopping at p99 with one over-bound query).</summary>
    public const long MultiStreamMinQueries = 662;

    /// <summary>LoadGen's slack when it sizes the offline query (test_settings_internal.cc: kSlack).</summary>
    public const double OfflineSlack = 1.1;

    public required LoadScenario Scenario { get; init; }

    /// <summary>Server: arrivals per second; offline: the expected samples per second; single/multi-stream: 1 / expected latency.</summary>
    public required double TargetQps { get; init; }

    /// <summary>Server: the latency bound in ns (multi-stream: reported against it, no verdict; others: 0).</summary>
    public long TargetLatencyNs { get; init; }

    /// <summary>The percentile the verdict is about (0.9 single-stream, 0.99 multi-stream and server).</summary>
    public required double Percentile { get; init; }

    public required long MinDurationNs { get; init; }

    /// <summary>0: no maximum (LoadGen's max_duration).</summary>
    public long MaxDurationNs { get; init; }

    public required long MinQueryCount { get; init; }

    /// <summary>0: no maximum (LoadGen's max_query_count).</summary>
    public long MaxQueryCount { get; init; }

    public required int SamplesPerQuery { get; init; }

    /// <summary>Where the minimum duration came from, for the summary ("default: ...", "official", "--min-duration").</summary>
    public required string MinDurationSource { get; init; }

    /// <summary>Seed of the sample indices (LoadGen's sample_index_rng_seed; ours drives .NET's Random, not mt19937).</summary>
    public int SampleSeed { get; init; } = 12345;

    /// <summary>Seed of the arrival schedule (LoadGen's schedule_rng_seed; ours drives .NET's Random, not mt19937).</summary>
    public int ScheduleSeed { get; init; } = 54321;

    /// <summary>Samples loaded into memory before timing (LoadGen's performance_sample_count).</summary>
    public int PerformanceSampleCount { get; init; } = 64;

    /// <summary>Seed that chose which images the library loaded (LoadGen's qsl_rng_seed).</summary>
    public int LibrarySeed { get; init; } = 2085463;

    /// <summary>Server: requests allowed in flight; an arrival beyond them is not sent and counts as over the bound.</summary>
    public int MaxInFlight { get; init; } = 4096;

    /// <summary>How long the run waits for queries still in flight once the last one is issued; those still out count as over the bound.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The percentile target as LoadGen prints it ("90.0th", "99.0th").</summary>
    public string PercentileName => (Percentile * 100).ToString("F1", CultureInfo.InvariantCulture) + "th";

    /// <summary>
    /// The settings of <paramref name="scenario"/> from what the user asked. <paramref name="expectedLatencyMs"/> is the
    /// single/multi-stream expected query latency, <paramref name="targetQps"/> the server's arrival rate or offline's
    /// expected throughput. The minimum duration, unless given, is max(60 s, the time early stopping's minimum query
    /// count takes at the expected rate); <paramref name="official"/> uses mlperf.conf's 600 s instead.
    /// </summary>
    public static ScenarioSettings Create(LoadScenario scenario, double? targetQps, double? expectedLatencyMs, double? targetLatencyMs,
        TimeSpan? minDuration, long? minQueries, bool official, EarlyStopping early)
    {
        if (targetQps is <= 0 || double.IsNaN(targetQps ?? 1))
        {
            throw new Core.RfcnPerfException($"--target-qps must be positive, got {targetQps?.ToString(CultureInfo.InvariantCulture)}");
        }

        if (targetLatencyMs is <= 0 || double.IsNaN(targetLatencyMs ?? 1))
        {
            throw new Core.RfcnPerfException($"--target-latency-ms must be positive, got {targetLatencyMs?.ToString(CultureInfo.InvariantCulture)}");
        }

        if (expectedLatencyMs is <= 0 || double.IsNaN(expectedLatencyMs ?? 1))
        {
            throw new Core.RfcnPerfException($"--expected-latency-ms must be positive, got {expectedLatencyMs?.ToString(CultureInfo.InvariantCulture)}");
        }

        if (minQueries is < 1)
        {
            throw new Core.RfcnPerfException($"--min-queries must be at least 1, got {minQueries}");
        }

        if (minDuration is { } given && given < TimeSpan.Zero)
        {
            throw new Core.RfcnPerfException($"--min-duration must be 0 or more seconds, got {given.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        var percentile = scenario == LoadScenario.SingleStream ? 0.9 : 0.99;
        var samplesPerQuery = scenario == LoadScenario.MultiStream ? MultiStreamSamplesPerQuery : 1;
        var minCount = minQueries ?? (scenario == LoadScenario.MultiStream ? MultiStreamMinQueries : LoadGenDefaultMinQueries);
        double rate = scenario switch
        {
            LoadScenario.Server or LoadScenario.Offline => targetQps ?? throw new Core.RfcnPerfException($"--scenario {LoadScenarioNames.Name(scenario)} needs --target-qps (server: the arrival rate; offline: the expected samples per second)"),
            _ => 1000.0 / (expectedLatencyMs ?? 10),
        };

        // The queries early stopping needs when every query is under the bound (server) or one is over (the streams).
        var earlyMinimum = scenario switch
        {
            LoadScenario.Server => early.MinQueries(0, percentile),
            LoadScenario.Offline => 0,
            _ => early.MinQueries(1, percentile),
        };
        var needed = TimeSpan.FromSeconds(Math.Max(earlyMinimum, minCount) / rate);
        var (duration, source) = (minDuration, official) switch
        {
            ({ } d, _) => (d, "--min-duration"),
            (null, true) => (OfficialMinDuration, "official (mlperf.conf: 600 s)"),
            _ => needed > DefaultMinDurationFloor
                ? (needed, string.Create(CultureInfo.InvariantCulture, $"default: {Math.Max(earlyMinimum, minCount)} queries at the expected {rate:G4}/s (more than 60 s)"))
                : (DefaultMinDurationFloor, "default: 60 s"),
        };

        var latencyBound = targetLatencyMs ?? (scenario == LoadScenario.Server
            ? throw new Core.RfcnPerfException("--scenario server needs --target-latency-ms (the bound the p99 is held to)")
            : 0);
        if (scenario == LoadScenario.Offline)
        {
            // test_settings_internal.cc: one query of max(min_query_count, kSlack x min duration x expected QPS)
            // samples; the query count minimum becomes 1 and the run ends when that query is done.
            var targetSamples = (long)(OfflineSlack * duration.TotalSeconds * rate);
            samplesPerQuery = (int)Math.Min(int.MaxValue, Math.Max(minCount, targetSamples));
            minCount = 1;
        }

        return new ScenarioSettings
        {
            Scenario = scenario,
            TargetQps = rate,
            TargetLatencyNs = (long)Math.Round(latencyBound * 1e6),
            Percentile = percentile,
            MinDurationNs = duration.Ticks * 100,
            MinQueryCount = minCount,
            SamplesPerQuery = samplesPerQuery,
            MinDurationSource = source,
        };
    }
}
