namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// FP32 vs INT8 of one model in one run: speed-up = FP32 time / INT8 time (above 1: INT8 faster). Version 1 files
/// hold the geometric mean over the BenchmarkDotNet measurements made in both precisions with the lowest and highest;
/// version 2 files the paired speed-up of the interleaved comparison with the ends of its 95% interval.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Measurements">Measurements made in both precisions (version 1) or paired rounds (version 2).</param>
/// <param name="GeometricMean">The speed-up: geometric mean of the measurements (version 1) or the paired estimate (version 2).</param>
/// <param name="Min">Lowest speed-up (version 1) or the lower end of the 95% interval (version 2).</param>
/// <param name="Max">Highest speed-up (version 1) or the upper end of the 95% interval (version 2).</param>
public sealed record BenchSpeedUp(string Model, int Measurements, double GeometricMean, double Min, double Max);
