namespace RfcnPerf.Bench.Reporting;

/// <summary>Which roof binds a roofline point.</summary>
internal enum RooflineBound
{
    /// <summary>Memory bandwidth x arithmetic intensity.</summary>
    Memory,

    /// <summary>The compute peak of the point's precision.</summary>
    Compute,
}
