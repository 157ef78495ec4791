using System.Text.Json.Serialization;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// The machine-readable digest of one benchmark run, written by the bench as <c>summary.json</c> beside
/// summary.md: where it ran (machine, the CPUs the process could use, the scheduler's job), under which load, and
/// its headline numbers (best latency and throughput per model and precision, FP32 vs INT8 speed-up).
/// <c>rfcnperf bench compare</c> reads several of them to put machines side by side.
/// </summary>
public sealed record BenchRunSummary
{
    /// <summary>The <c>kind</c> value of a summary.json file.</summary>
    public const string KindName = "rfcnperf.bench-run";

    /// <summary>File name in a run folder.</summary>
    public const string FileName = "summary.json";

    /// <summary>Identifies the file type for readers (<see cref="KindName"/>).</summary>
    public string Kind { get; init; } = KindName;

    /// <summary>
    /// Schema version: 2 adds <see cref="Models"/> (with sha256) and <see cref="RawCases"/>, which per-case
    /// comparisons need; version 1 files still compare machine against machine.
    /// </summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The version this build writes.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Profile name (quick, full).</summary>
    public required string Profile { get; init; }

    /// <summary>The command as given.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Start time, ISO 8601 UTC.</summary>
    public required string StartedUtc { get; init; }

    /// <summary>Wall time of the benchmark run.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Host name of the machine.</summary>
    public required string Host { get; init; }

    /// <summary>One-line machine description (CPU, cores, ISA, memory).</summary>
    public required string MachineDescription { get; init; }

    /// <summary>The machine table of summary.md (CPU, cores, ISA, memory, OS, .NET, ONNX Runtime, peak).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Machine { get; init; }

    /// <summary>Logical CPUs the process could use (its affinity: a scheduler's binding or taskset shows here).</summary>
    public required int Cpus { get; init; }

    /// <summary>The kernel's list of CPUs the process could use (Cpus_allowed_list), when known.</summary>
    public string? CpusAllowed { get; init; }

    /// <summary>Load averages (1/5/15 min) before the run, when known.</summary>
    public string? LoadBefore { get; init; }

    /// <summary>Load averages after the run, when known.</summary>
    public string? LoadAfter { get; init; }

    /// <summary>The batch scheduler's job (Slurm: job id, node, CPUs per task...), empty outside one.</summary>
    public IReadOnlyDictionary<string, string> Job { get; init; } = new Dictionary<string, string>();

    /// <summary>Cases measured.</summary>
    public required int Cases { get; init; }

    /// <summary>Cases that produced no result.</summary>
    public required int FailedCases { get; init; }

    /// <summary>Lowest median real-time latency (batch 1) per model and precision.</summary>
    public required IReadOnlyList<BenchBest> BestLatency { get; init; }

    /// <summary>Highest images/s per model and precision.</summary>
    public required IReadOnlyList<BenchBest> BestThroughput { get; init; }

    /// <summary>FP32 vs INT8 per model that was measured in both precisions.</summary>
    public required IReadOnlyList<BenchSpeedUp> Int8SpeedUps { get; init; }

    /// <summary>The run's paired comparisons (INT8 speed-up, checks, every configuration against its default); absent in version 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BenchVerdict>? Comparisons { get; init; }

    /// <summary>Every model file measured, with its sha256 (absent in version 1, whose files read and write unchanged).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BenchModelFile>? Models { get; init; }

    /// <summary>Every successful model case with its stable key and where its raw samples are (absent in version 1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BenchCaseRecord>? RawCases { get; init; }
}
