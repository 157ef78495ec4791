namespace RfcnPerf.Core.Machine;

/// <summary>
/// Runs the measurements behind <see cref="MachinePeaks"/>: <see cref="PeakProbe"/> on this CPU, a stub in tests
/// (so kernel choice and reports are checked for every ISA level on any machine).
/// </summary>
internal interface IPeakProbe
{
    /// <summary>10^9 operations per second of <paramref name="kernel"/> on <paramref name="threads"/> threads; null when it cannot run.</summary>
    double? Compute(PeakKernel kernel, int threads);

    /// <summary>STREAM triad GB/s (10^9 bytes) on <paramref name="threads"/> threads; null when it cannot be measured.</summary>
    double? TriadGBps(int threads);
}
