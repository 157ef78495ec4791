namespace RfcnPerf.Core.Comparison;

/// <summary>Why an interleaved comparison stopped measuring.</summary>
public enum StopReason
{
    /// <summary>The stopping rule: the ratio's 95% interval half-width reached θ/2.</summary>
    Narrow,

    /// <summary>The most rounds allowed were measured with the interval still wider.</summary>
    MaxRounds,

    /// <summary>The time cap came first.</summary>
    TimeCap,

    /// <summary>A fixed number of rounds was asked for (no stopping rule).</summary>
    FixedRounds,

    /// <summary>Too many rounds were dropped for failed requests.</summary>
    Failures,
}
