using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Bench.Profiles;

/// <summary>Execution mode and inter-op threads (the seeds' TENSORFLOW_INTER_OP_PARALLELISM).</summary>
/// <param name="Mode">Sequential or parallel node execution.</param>
/// <param name="InterOpThreads">Inter-op threads; only the parallel mode uses them (0 = ORT default).</param>
public sealed record InterOpSetting(ExecutionMode Mode, int InterOpThreads)
{
    /// <summary>The default: sequential execution, inter-op unused.</summary>
    public static InterOpSetting Sequential { get; } = new(ExecutionMode.ORT_SEQUENTIAL, 0);

    /// <summary>True for <see cref="ExecutionMode.ORT_PARALLEL"/>.</summary>
    public bool IsParallel => Mode == ExecutionMode.ORT_PARALLEL;

    /// <inheritdoc />
    public override string ToString() => IsParallel ? $"parallel inter={InterOpThreads}" : "sequential";
}
