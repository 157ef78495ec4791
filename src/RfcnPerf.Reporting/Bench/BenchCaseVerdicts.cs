using System.Globalization;
using System.Text;
using RfcnPerf.Statistics;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// One matched case: both runs' medians, the ratio from the case's own samples (<see cref="WithinRun"/>) and the one
/// reported, widened by the between-run noise band, with its verdict (<see cref="Ratio"/>).
/// </summary>
internal sealed record CaseVerdict(BenchCaseKey Key, string Model, double BaseMedianMs, double RunMedianMs, RatioEstimate WithinRun, RatioEstimate Ratio);

/// <summary>
/// Every run against the first, case by case: cases matched by <see cref="BenchCaseKey"/>, the ratio of times from
/// the raw samples and its interval widened by the between-run noise band (<see cref="RunToRunRatio"/>), the verdict
/// at θ, and per run the geometric mean of the decided ratios.
/// </summary>
internal sealed record BenchCaseVerdicts(LabeledBench Run, IReadOnlyList<CaseVerdict> Cases, int OnlyInBase, int OnlyInRun, NoiseBand Band)
{
    /// <summary>Cases whose verdict is same, faster or slower.</summary>
    public IReadOnlyList<CaseVerdict> Decided => [.. Cases.Where(c => c.Ratio.IsDecided)];

    /// <summary>Geometric mean of the decided ratios (NaN when none).</summary>
    public double GeometricMean => Decided.Count == 0 ? double.NaN : Math.Exp(Decided.Average(c => Math.Log(c.Ratio.Ratio)));

    /// <summary>Whether any case is slower than in the base run.</summary>
    public bool AnySlower => Cases.Any(c => c.Ratio.Verdict == Verdict.Slower);

    /// <summary>
    /// Compares every run after the first with it, widening by <paramref name="noise"/> when given, else by the band the
    /// matched cases of each pair show; throws <see cref="ReportException"/> when raw samples are missing.
    /// </summary>
    public static IReadOnlyList<BenchCaseVerdicts> Compute(IReadOnlyList<LabeledBench> runs, double threshold, NoiseBand? noise = null)
    {
        var samples = runs.Select(r => new BenchRawSamples(RunDirectory(r.Source))).ToArray();
        var baseCases = Index(runs[0]);
        var result = new List<BenchCaseVerdicts>();
        for (var i = 1; i < runs.Count; i++)
        {
            var cases = Index(runs[i]);
            var matched = baseCases.Where(kv => cases.ContainsKey(kv.Key))
                .Select(kv => (kv.Key, Base: kv.Value, A: samples[0].For(kv.Value), B: samples[i].For(cases[kv.Key])))
                .ToArray();
            var (within, widened, band) = RunToRunRatio.Compare([.. matched.Select(m => ((IReadOnlyList<double>)m.A, (IReadOnlyList<double>)m.B))], threshold, noise);
            var verdicts = matched.Select((m, j) => new CaseVerdict(m.Key, m.Base.Model, Percentiles.Median(m.A), Percentiles.Median(m.B), within[j], widened[j])).ToArray();
            result.Add(new BenchCaseVerdicts(runs[i], verdicts, baseCases.Keys.Count(k => !cases.ContainsKey(k)), cases.Keys.Count(k => !baseCases.ContainsKey(k)), band));
        }

        return result;
    }

    /// <summary>The "Per-case verdicts" section of comparison.md.</summary>
    public static void Markdown(StringBuilder sb, IReadOnlyList<BenchCaseVerdicts> all, double threshold)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("## Per-case verdicts against A");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Cases are matched by model file (sha256), precision, batch, threads, streams and what was measured, never by name. Ratio = this run's time / A's time per operation (below 1: faster than A), from the raw samples (BenchmarkDotNet's Workload/Actual measurements) cut into {RunToRunRatio.Blocks} consecutive blocks per case, since samples in a row share the machine's slow spells: the Hodges-Lehmann estimate on the blocks' log medians with its 95% interval from inverting the Mann-Whitney test over the blocks (\"within run\"), then widened on each side by the between-run noise band, because two runs of one build differ case by case by more than either run's own spread (another moment, core or clock on a shared machine). The band is 1.96 robust standard deviations (1.4826 x median absolute deviation) of the matched cases' log ratios, unless given with --noise; it needs {RunToRunRatio.MinCasesForBand} matched cases. A shift that moves every case alike (the whole machine slower that day) is not in the band: compare runs made under like conditions. Verdict at θ = {Md.Percent(threshold)} on the widened interval: \"same\" when it lies inside 1 ± θ, \"faster\" / \"slower\" when it lies wholly beyond, otherwise (or with fewer than {VerdictRule.MinRounds} samples a side) \"unknown\"."));
        sb.AppendLine();
        foreach (var run in all)
        {
            var counts = string.Join(", ", new[] { Verdict.Same, Verdict.Faster, Verdict.Slower, Verdict.Unknown }.Select(v => string.Create(inv, $"{run.Cases.Count(c => c.Ratio.Verdict == v)} {v.Word()}")));
            sb.AppendLine(string.Create(inv, $"### {run.Run.Letter} against A: {run.Cases.Count} cases matched ({counts}); geometric mean of the {run.Decided.Count} decided ratios: **{Md.Times(run.GeometricMean)}**{(run.OnlyInBase + run.OnlyInRun > 0 ? $"; unmatched: {run.OnlyInBase} only in A, {run.OnlyInRun} only in {run.Run.Letter}" : string.Empty)}"));
            sb.AppendLine();
            sb.AppendLine($"Between-run noise band: {run.Band.Describe()}.");
            sb.AppendLine();
            sb.Append(Md.Table(
                ["model", "precision", "configuration", "measured", "A median ms", $"{run.Run.Letter} median ms", "within run [95%]", $"{run.Run.Letter} / A time [95% with noise band]", "verdict"],
                run.Cases.OrderBy(c => c.Ratio.Verdict == Verdict.Slower ? 0 : c.Ratio.Verdict == Verdict.Faster ? 1 : 2).Select(c => (IReadOnlyList<string>)
                [
                    c.Model, c.Key.Precision, c.Key.Configuration(), c.Key.Mode, Md.Ms(c.BaseMedianMs), Md.Ms(c.RunMedianMs), Md.Interval(c.WithinRun), Md.Interval(c.Ratio), Md.Verdict(c.Ratio),
                ]),
                textColumns: 4));
            sb.AppendLine();
        }
    }

    private static Dictionary<BenchCaseKey, BenchCaseRecord> Index(LabeledBench run)
    {
        var index = new Dictionary<BenchCaseKey, BenchCaseRecord>();
        foreach (var record in run.Summary.RawCases ?? [])
        {
            // A key measured twice in one run (it should not be) keeps its first case.
            index.TryAdd(record.Key, record);
        }

        return index;
    }

    private static string RunDirectory(string source) => Directory.Exists(source) ? source : Path.GetDirectoryName(Path.GetFullPath(source))!;
}
