using System.Globalization;
using System.Text;
using RfcnPerf.Core.Comparison;
using RfcnPerf.Reporting;
using RfcnPerf.Statistics;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>
/// The opening of summary.md: per model, the INT8 speed-up and the best latency and throughput configurations,
/// claimed only over decided differences (ties named), then the checks (A/A, DetectorStream vs bare Run) as verdicts,
/// and every compared configuration against its default, all from the interleaved runs.
/// </summary>
internal static class AnswersMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(StringBuilder sb, IReadOnlyList<ModelAnswers> answers)
    {
        sb.AppendLine("## Answers");
        sb.AppendLine();
        if (answers.Count == 0)
        {
            sb.AppendLine("No comparison ran (run-bench --no-comparisons, or every model's sessions failed to open: see Failures).");
            sb.AppendLine();
            return;
        }

        var theta = answers[0].Run.Threshold;
        sb.AppendLine(string.Create(Inv,
            $"From one interleaved run per model: every configuration below measured in blocks of {answers[0].Run.Conditions.BlockRequests} requests, each round in an order drawn from the run's seed, in one process; ratios are paired over rounds (exp of the median per-round log ratio, 95% percentile-bootstrap interval over rounds). Verdicts at θ = {Md.Percent(theta)}: \"same\" when the interval lies inside 1 ± θ, \"faster\"/\"slower\" when wholly beyond, otherwise (or under {VerdictRule.MinRounds} rounds) \"unknown\". BenchmarkDotNet's cases further down ran one after another and are not compared with each other."));
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "INT8 speed-up (FP32 time / INT8 time) [95%]", "verdict", "best latency, FP32", "best latency, INT8", "best throughput, FP32", "best throughput, INT8"],
            answers.Select(a => (IReadOnlyList<string>)
            [
                a.Model,
                a.Int8VsFp32 is { } r ? Md.SpeedUp(r.Ratio) : "no INT8 variant",
                a.Int8VsFp32 is { } v ? Int8Verdict(v.Ratio) : Md.Unknown,
                .. new[] { 0, 1 }.Select(i => i < a.Variants.Count ? Best(a, a.BestLatency(a.Variants[i]), latency: true) : Md.Unknown),
                .. new[] { 0, 1 }.Select(i => i < a.Variants.Count ? Best(a, a.BestThroughput(a.Variants[i]), latency: false) : Md.Unknown),
            ]),
            textColumns: 7));
        sb.AppendLine();
        sb.AppendLine("A best configuration is claimed over the configurations it was decided faster than (paired with each in the same rounds); the others are named as ties (\"same\", or not decided).");
        sb.AppendLine();

        sb.AppendLine("**Checks** (each should be \"same\"): the FP32 default against a second session of itself (A/A: the run's own noise), and RfcnPerf's DetectorStream.Run against a bare InferenceSession.Run loop with the same options and input.");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "check", "ratio [95%]", "verdict", "rounds"],
            answers.SelectMany(a => Checks(a).Select(c => (IReadOnlyList<string>)[a.Model, c.Name, Md.Interval(c.Result.Ratio), Md.Verdict(c.Result.Ratio), c.Result.Rounds.Count.ToString(Inv)])),
            textColumns: 2));
        sb.AppendLine();

        sb.AppendLine("**Every configuration against its variant's default** (batch 1, ORT default threads, one stream), per image:");
        sb.AppendLine();
        sb.Append(Md.Table(
            ["model", "precision", "configuration", "ms per image (mean)", "images/s", "time / default [95%]", "verdict"],
            answers.SelectMany(a => a.Candidates.Select(c =>
            {
                var vs = a.VsDefault(c);
                var isDefault = c == a.Default(c.Variant);
                return (IReadOnlyList<string>)[a.Model, c.Variant.Precision, c.Label, Md.Ms(a.MsPerImage(c)), Md.N(1000 / a.MsPerImage(c)), isDefault ? "(default)" : Md.Interval(vs.Ratio), isDefault ? string.Empty : Md.Verdict(vs.Ratio)];
            })),
            textColumns: 3));
        sb.AppendLine();

        sb.AppendLine("**How each run went**:");
        sb.AppendLine();
        foreach (var a in answers)
        {
            var any = a.Run.Pair(0, 1);
            sb.AppendLine(string.Create(Inv, $"- {a.Model}: {a.Run.Sides.Count} sides, {any.StopText()}; seed {a.Run.Conditions.Seed}; machine noise: {a.Run.Conditions.Noise.Describe()}{(a.Run.Conditions.Noise.FlagText() is { } flag ? $" — **flagged: {flag}**" : string.Empty)}{(a.Run.Conditions.UnsettledBlocks > 0 ? $"; {a.Run.Conditions.UnsettledBlocks} blocks started while other threads of ours were still runnable" : string.Empty)}."));
        }

        sb.AppendLine();
    }

    /// <summary>The checks of a model: A/A, then DetectorStream vs bare Run per variant.</summary>
    public static IEnumerable<(string Name, ComparisonResult Result)> Checks(ModelAnswers a)
    {
        yield return ($"A/A: {a.Variants[0].Precision} default, second session / first", a.AaCheck);
        foreach (var v in a.Variants)
        {
            if (a.Overhead(v) is { } overhead)
            {
                yield return ($"DetectorStream.Run / bare Run, {v.Precision}", overhead);
            }
        }
    }

    /// <summary>"INT8 faster", "INT8 slower", "same", or "unknown (...)".</summary>
    public static string Int8Verdict(RatioEstimate r) => r.Verdict switch
    {
        Verdict.Faster => "INT8 faster",
        Verdict.Slower => "INT8 slower",
        _ => Md.Verdict(r),
    };

    private static string Best(ModelAnswers a, BestChoice choice, bool latency)
    {
        var figure = latency
            ? string.Create(Inv, $"{Md.Ms(a.MsPerImage(choice.Best))} ms mean")
            : string.Create(Inv, $"{Md.N(1000 / a.MsPerImage(choice.Best))} images/s");
        var beaten = choice.Beaten.Select(o => string.Create(Inv, $"{Short(o.Other)} ({Md.Times(o.VsBest.Ratio.Ratio)})")).ToList();
        var ties = choice.Ties.Select(o => $"{Short(o.Other)} ({Md.Verdict(o.VsBest.Ratio)})").ToList();
        return $"**{Short(choice.Best)}**, {figure}" +
            (beaten.Count > 0 ? $"; faster than {string.Join(", ", beaten)}" : string.Empty) +
            (ties.Count > 0 ? $"; tie with {string.Join(", ", ties)}" : string.Empty);
    }

    // The configuration without what every candidate shares.
    private static string Short(Candidate c) => c.Label.Replace(", sequential", string.Empty, StringComparison.Ordinal);
}
