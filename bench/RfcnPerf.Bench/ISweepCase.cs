using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench;

/// <summary>
/// A benchmark class whose cases are sweep points of one model variant. Reports rebuild an instance from a
/// case's parameters and read these two properties, so the description of a case comes from the same code
/// that configured its session.
/// </summary>
public interface ISweepCase
{
    /// <summary>The model variant (parameter).</summary>
    ModelVariant Variant { get; }

    /// <summary>The session configuration the parameters select.</summary>
    SweepPoint Point { get; }
}
