namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// One run of the model: its stage times, how many images it carried, and whether it was a session's first
/// run (warm-up, reported apart and excluded from steady-state statistics).
/// </summary>
public readonly record struct BatchRecord(StageTimes Times, int Images, bool Warmup);
