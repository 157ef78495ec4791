namespace RfcnPerf.Bench;

/// <summary>
/// Benchmark categories (<c>--anyCategories</c> filters by them). Columns that need model arithmetic (GFLOP/s,
/// % of peak) apply to <see cref="Inference"/> and <see cref="EndToEnd"/> cases only.
/// </summary>
internal static class BenchCategories
{
    /// <summary>Runs the model on prepared input only.</summary>
    public const string Inference = "inference";

    /// <summary>JPEG decode, pre-processing, inference and post-processing.</summary>
    public const string EndToEnd = "end-to-end";

    /// <summary>One stage outside the model (decode, pre- or post-processing).</summary>
    public const string Stage = "stage";

    /// <summary>Session creation and first run.</summary>
    public const string Creation = "creation";

    /// <summary>RfcnPerf's wrapper against a bare ORT loop.</summary>
    public const string Overhead = "overhead";
}
