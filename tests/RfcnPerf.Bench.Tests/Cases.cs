using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Bench.Reporting;

namespace RfcnPerf.Bench.Tests;

/// <summary>
/// Synthetic benchmark outcomes shaped like the ones <see cref="CaseResult.From"/> builds from BenchmarkDotNet's
/// reports, so pairing, best-configuration choice and summary writing are tested without running a benchmark.
/// Variants point at files that do not exist, so nothing reads a model.
/// </summary>
internal static class Cases
{
    public static readonly ModelVariant ModelAFp32 = new("model-a", "FP32", "/nonexistent/model-a.onnx");
    public static readonly ModelVariant ModelAInt8 = new("model-a", "INT8", "/nonexistent/model-a-int8.onnx");
    public static readonly ModelVariant ModelBFp32 = new("model-b", "FP32", "/nonexistent/model-b.onnx");

    public static SweepPoint Batch(int batch) => SweepPoint.Default with { Batch = batch };

    public static SweepPoint Intra(int threads) => SweepPoint.Default with { IntraOpThreads = threads };

    public static SweepPoint Streams(int streams) => SweepPoint.Default with { Streams = streams, IntraOpThreads = 1, AllowSpinning = false };

    /// <summary>One case; the percentiles derive from <paramref name="p50"/> so each case differs in a known way.</summary>
    public static CaseResult Case(
        ModelVariant? variant,
        SweepPoint point,
        double mean,
        double? p50 = null,
        string benchmark = nameof(RealTimeBenchmarks),
        string method = "Run",
        string job = "real-time",
        string category = BenchCategories.Inference,
        bool success = true)
    {
        var median = p50 ?? mean;
        return new CaseResult
        {
            Benchmark = benchmark,
            Method = method,
            MethodTitle = $"'{method}'",
            Job = job,
            DisplayInfo = $"{benchmark}.{method} [Variant={variant}] ({job})",
            Parameters = variant is null ? string.Empty : $"[Variant={variant}]",
            Categories = [category],
            Info = new CaseInfo(variant, point, variant is not null && category is BenchCategories.Inference or BenchCategories.EndToEnd),
            Success = success,
            SamplesMs = success ? [median, mean, median * 1.5] : [],
            MeanMs = success ? mean : double.NaN,
            MinMs = success ? median * 0.9 : double.NaN,
            P50Ms = success ? median : double.NaN,
            P90Ms = success ? median * 1.2 : double.NaN,
            P99Ms = success ? median * 1.5 : double.NaN,
        };
    }

    public static CaseResult Throughput(ModelVariant variant, SweepPoint point, double mean) =>
        Case(variant, point, mean, benchmark: nameof(BatchThroughputBenchmarks), job: BenchJobs.ThroughputId);
}
