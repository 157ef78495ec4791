using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Bench.Reporting;

/// <summary>Everything summary.md and the charts are written from.</summary>
internal sealed record RunRecord
{
    /// <summary>Profile that ran.</summary>
    public required BenchProfile Profile { get; init; }

    /// <summary>Command line as given (profile and pass-through arguments).</summary>
    public required string CommandLine { get; init; }

    /// <summary>The machine.</summary>
    public required MachineInfo Machine { get; init; }

    /// <summary>Results folder.</summary>
    public required string OutputDir { get; init; }

    /// <summary>Start time (UTC).</summary>
    public required DateTime StartedUtc { get; init; }

    /// <summary>Wall time of the benchmark run (model resolution included, report writing excluded).</summary>
    public required TimeSpan WallTime { get; init; }

    /// <summary>Load averages (1, 5, 15 min) before the run, or null where the OS does not report them.</summary>
    public required LoadSnapshot? LoadBefore { get; init; }

    /// <summary>Load averages after the run.</summary>
    public required LoadSnapshot? LoadAfter { get; init; }

    /// <summary>Peak resident set of the host process (every in-process case), bytes.</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>All cases of all summaries, in run order.</summary>
    public required IReadOnlyList<CaseResult> Cases { get; init; }

    /// <summary>The interleaved comparisons, one per model (empty when they did not run).</summary>
    public IReadOnlyList<Comparisons.ModelAnswers> Answers { get; init; } = [];

    /// <summary>Variants swept.</summary>
    public required IReadOnlyList<ModelVariant> Variants { get; init; }

    /// <summary>What was skipped and why.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Failed cases with their reasons.</summary>
    public required IReadOnlyList<(string What, string Reason)> Failures { get; init; }

    /// <summary>BenchmarkDotNet's exported files, relative to <see cref="OutputDir"/>.</summary>
    public required IReadOnlyList<string> Exports { get; init; }
}
