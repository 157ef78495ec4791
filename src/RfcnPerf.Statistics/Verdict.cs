namespace RfcnPerf.Statistics;

/// <summary>What a comparison of B against A concludes at a threshold (<see cref="VerdictRule"/>).</summary>
public enum Verdict
{
    /// <summary>Not decided: the interval straddles a threshold edge, or there were too few rounds.</summary>
    Unknown,

    /// <summary>The whole interval lies inside [1 - θ, 1 + θ]: B takes as long as A, within the threshold.</summary>
    Same,

    /// <summary>The whole interval lies below 1 - θ: B takes less time than A.</summary>
    Faster,

    /// <summary>The whole interval lies above 1 + θ: B takes more time than A.</summary>
    Slower,
}
