namespace RfcnPerf.Reporting.Bench;

/// <summary>One paired comparison of a run (from its interleaved runner), as summary.json records it.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Question">What was compared, e.g. <c>INT8 / FP32 default</c> or <c>FP32: batch 4 / default</c>.</param>
/// <param name="Ratio">Time ratio B/A per image (below 1: B faster).</param>
/// <param name="Lower">Lower end of its 95% interval.</param>
/// <param name="Upper">Upper end.</param>
/// <param name="Verdict">same, faster, slower or unknown.</param>
/// <param name="Rounds">Paired rounds.</param>
public sealed record BenchVerdict(string Model, string Question, double Ratio, double Lower, double Upper, string Verdict, int Rounds);
