namespace RfcnPerf.Reporting.Bench;

/// <summary>FP32 vs INT8 of one model in one run: speed-up = FP32 mean time / INT8 mean time (above 1: INT8 faster).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Measurements">Inference measurements made in both precisions.</param>
/// <param name="GeometricMean">Geometric mean of the speed-ups.</param>
/// <param name="Min">Lowest speed-up.</param>
/// <param name="Max">Highest speed-up.</param>
public sealed record BenchSpeedUp(string Model, int Measurements, double GeometricMean, double Min, double Max);
