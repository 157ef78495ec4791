using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Core.Inference;

/// <summary>
/// ONNX Runtime session options a sweep varies (the seeds' intra-op / inter-op / OMP settings). Intra-op 0
/// lets ORT pick one thread per physical core with its own affinity; an explicit count disables that
/// affinity (docs/BENCHMARKING.md).
/// </summary>
public sealed record SessionSettings
{
    /// <summary>Intra-op threads; 0 = ORT default.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Inter-op threads (used by the parallel execution mode); 0 = ORT default.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Sequential (default) or parallel node execution.</summary>
    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.ORT_SEQUENTIAL;

    /// <summary>Graph optimisation level.</summary>
    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>CPU memory arena (BFC); it never returns memory to the OS.</summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>Memory pattern planning for fixed input shapes.</summary>
    public bool EnableMemoryPattern { get; init; } = true;

    /// <summary>
    /// Whether idle intra-op threads spin; turn off when several sessions share the cores, since one session's
    /// spinning threads starve another's.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Writes an ORT profile (JSON) with this path prefix when set.</summary>
    public string? ProfilePrefix { get; init; }

    /// <summary>Short description for logs and reports, e.g. <c>intra=2 inter=0 seq spin</c>.</summary>
    public string Describe() =>
        $"intra={IntraOpThreads} inter={InterOpThreads} {(ExecutionMode == ExecutionMode.ORT_PARALLEL ? "parallel" : "sequential")}" +
        $"{(AllowSpinning ? string.Empty : " no-spin")}{(EnableCpuMemArena ? string.Empty : " no-arena")}" +
        $"{(EnableMemoryPattern ? string.Empty : " no-mempattern")}" +
        (OptimizationLevel == GraphOptimizationLevel.ORT_ENABLE_ALL ? string.Empty : $" opt={OptimizationLevel}");

    /// <summary>Builds the ORT options (caller disposes).</summary>
    public SessionOptions ToSessionOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = InterOpThreads,
            ExecutionMode = ExecutionMode,
            GraphOptimizationLevel = OptimizationLevel,
            EnableCpuMemArena = EnableCpuMemArena,
            EnableMemoryPattern = EnableMemoryPattern,

            // Initializers listed as graph inputs (both NanoDet files) make ORT warn once per tensor at load;
            // `rfcnperf model info` reports that fact instead.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", AllowSpinning ? "1" : "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", AllowSpinning ? "1" : "0");
        if (ProfilePrefix is { } prefix)
        {
            // The prefix first: the EnableProfiling setter hands ORT the prefix in force at that moment.
            options.ProfileOutputPathPrefix = prefix;
            options.EnableProfiling = true;
        }

        return options;
    }
}
