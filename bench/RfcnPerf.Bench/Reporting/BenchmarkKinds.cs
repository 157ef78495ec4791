using RfcnPerf.Bench.Benchmarks;

namespace RfcnPerf.Bench.Reporting;

/// <summary>Short names of the benchmark classes for configuration descriptions (identities by nameof, so a rename cannot miss one).</summary>
internal static class BenchmarkKinds
{
    /// <summary>Short name of a benchmark class, e.g. <c>batch sweep</c>.</summary>
    public static string Kind(string benchmark) => benchmark switch
    {
        nameof(RealTimeBenchmarks) => "real-time intra-op sweep",
        nameof(BatchThroughputBenchmarks) => "batch sweep",
        nameof(InterOpBenchmarks) => "inter-op sweep",
        nameof(StreamsBenchmarks) => "streams",
        nameof(SingleCoreBenchmarks) => "single core",
        nameof(EndToEndBenchmarks) => "end to end",
        nameof(SessionOverheadBenchmarks) => "overhead",
        nameof(SessionCreationBenchmarks) => "session creation",
        _ => benchmark,
    };

    /// <summary>How a case was run, e.g. <c>batch sweep: batch 8, intra=0 (ORT default), sequential</c>.</summary>
    public static string Configuration(CaseResult c) => $"{Kind(c.Benchmark)}: {c.Point.Describe()}";
}
