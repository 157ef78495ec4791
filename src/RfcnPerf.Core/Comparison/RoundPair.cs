namespace RfcnPerf.Core.Comparison;

/// <summary>
/// One measured round: each side's block, as mean milliseconds per unit (image) over its requests, and which
/// side went first (drawn from the comparison's seed).
/// </summary>
public readonly record struct RoundPair(double AMsPerUnit, double BMsPerUnit, bool AFirst);
