using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Reporting;

/// <summary>The comparisons summary.md and the charts show, computed once from the cases of a run.</summary>
internal sealed class ResultAnalysis
{
    public ResultAnalysis(IReadOnlyList<CaseResult> cases, IReadOnlyList<ModelVariant> variants)
    {
        Cases = cases;
        Variants = [.. variants.Where(v => cases.Any(c => c.Variant == v))];
    }

    /// <summary>All cases.</summary>
    public IReadOnlyList<CaseResult> Cases { get; }

    /// <summary>Variants that have at least one case, in sweep order.</summary>
    public IReadOnlyList<ModelVariant> Variants { get; }

    /// <summary>
    /// Lowest median per-request latency with one batch-1 request in flight (inference only), among cases sampled
    /// as real-time cases (the throughput job's few samples would make a poor p99).
    /// </summary>
    public CaseResult? BestLatency(ModelVariant variant) => Cases
        .Where(c => IsSweep(c) && c.Variant == variant && c.Point.IsRealTime && c.Job != Configs.BenchJobs.ThroughputId)
        .MinBy(c => c.P50Ms);

    /// <summary>Highest images/s over every inference case (any batch, streams, threads).</summary>
    public CaseResult? BestThroughput(ModelVariant variant) => Cases
        .Where(c => IsSweep(c) && c.Variant == variant)
        .MaxBy(c => c.ImagesPerSecond);

    /// <summary>Inference cases of the sweep classes (the end-to-end class's inference baseline repeats a sweep point).</summary>
    private static bool IsSweep(CaseResult c) => c.IsInference && c.Benchmark is not (nameof(EndToEndBenchmarks) or nameof(PipelinedThroughputBenchmarks));

    /// <summary>Cases of one benchmark class (successful ones), in run order.</summary>
    public IEnumerable<CaseResult> Of(string benchmark) => Cases.Where(c => c.Success && c.Benchmark == benchmark);

    /// <summary>
    /// FP32 and INT8 cases of the same model measured the same way (benchmark, method, configuration):
    /// speed-up = FP32 mean / INT8 mean, so above 1 means INT8 is faster.
    /// </summary>
    public IReadOnlyList<PrecisionPair> PrecisionPairs()
    {
        var int8 = Cases.Where(c => c.Success && c.Variant is { IsInt8: true } && c.Info.RunsModel).ToList();
        var pairs = new List<PrecisionPair>();
        foreach (var fp32 in Cases.Where(c => c.Success && c.Variant is { IsInt8: false } && c.Info.RunsModel))
        {
            var match = int8.FirstOrDefault(i => i.Variant!.Model == fp32.Variant!.Model && i.Benchmark == fp32.Benchmark
                && i.Method == fp32.Method && i.Job == fp32.Job && i.Point == fp32.Point);
            if (match is not null)
            {
                pairs.Add(new PrecisionPair(fp32, match));
            }
        }

        return pairs;
    }

    /// <summary>End-to-end stage breakdown per variant (mean ms of each method), when the end-to-end benchmarks ran.</summary>
    public IReadOnlyList<StageBreakdown> Stages() =>
    [
        .. Variants.Select(v =>
        {
            var cases = Of(nameof(EndToEndBenchmarks)).Where(c => c.Variant == v).ToDictionary(c => c.Method);
            double Mean(string method) => cases.TryGetValue(method, out var c) ? c.MeanMs : double.NaN;
            double Median(string method) => cases.TryGetValue(method, out var c) ? c.P50Ms : double.NaN;
            return new StageBreakdown(
                v,
                Mean(nameof(EndToEndBenchmarks.Decode)),
                Mean(nameof(EndToEndBenchmarks.Preprocess)),
                Mean(nameof(EndToEndBenchmarks.Inference)),
                Mean(nameof(EndToEndBenchmarks.Postprocess)),
                Mean(nameof(EndToEndBenchmarks.EndToEnd)),
                Median(nameof(EndToEndBenchmarks.Inference)),
                Median(nameof(EndToEndBenchmarks.EndToEnd)));
        }).Where(s => double.IsFinite(s.EndToEndMs) || double.IsFinite(s.InferenceMs)),
    ];

    /// <summary>
    /// End-to-end passes (sequential and pipelined runner) against the model call alone, per variant, from the
    /// pipelined-throughput benchmark (same session and settings, mean ms per image).
    /// </summary>
    public IReadOnlyList<(ModelVariant Variant, CaseResult ModelCall, CaseResult? Sequential, CaseResult? Pipelined)> Pipelining() =>
    [
        .. Variants.Select(v => Of(nameof(PipelinedThroughputBenchmarks)).Where(c => c.Variant == v).ToDictionary(c => c.Method))
            .Where(cases => cases.ContainsKey(nameof(PipelinedThroughputBenchmarks.ModelCall)))
            .Select(cases => (
                cases[nameof(PipelinedThroughputBenchmarks.ModelCall)].Variant!,
                cases[nameof(PipelinedThroughputBenchmarks.ModelCall)],
                cases.GetValueOrDefault(nameof(PipelinedThroughputBenchmarks.Sequential)),
                cases.GetValueOrDefault(nameof(PipelinedThroughputBenchmarks.Pipelined)))),
    ];

    /// <summary>DetectorStream.Run against a bare InferenceSession.Run loop, per variant (ratio of medians).</summary>
    public IReadOnlyList<(ModelVariant Variant, CaseResult Bare, CaseResult Detector)> Overhead() =>
    [
        .. Variants.Select(v => (
                v,
                Of(nameof(SessionOverheadBenchmarks)).FirstOrDefault(c => c.Variant == v && c.Method == nameof(SessionOverheadBenchmarks.BareRun)),
                Of(nameof(SessionOverheadBenchmarks)).FirstOrDefault(c => c.Variant == v && c.Method == nameof(SessionOverheadBenchmarks.DetectorRun))))
            .Where(t => t.Item2 is not null && t.Item3 is not null)
            .Select(t => (t.v, t.Item2!, t.Item3!)),
    ];

    /// <summary>Session creation and the first run on a fresh session, per variant.</summary>
    public IReadOnlyList<(ModelVariant Variant, CaseResult Open, CaseResult FirstRun)> Creation() =>
    [
        .. Variants.Select(v => (
                v,
                Of(nameof(SessionCreationBenchmarks)).FirstOrDefault(c => c.Variant == v && c.Method == nameof(SessionCreationBenchmarks.Open)),
                Of(nameof(SessionCreationBenchmarks)).FirstOrDefault(c => c.Variant == v && c.Method == nameof(SessionCreationBenchmarks.FirstRun))))
            .Where(t => t.Item2 is not null && t.Item3 is not null)
            .Select(t => (t.v, t.Item2!, t.Item3!)),
    ];
}
