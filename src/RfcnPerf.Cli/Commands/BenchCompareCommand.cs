using System.CommandLine;
using System.Globalization;
using RfcnPerf.Reporting;
using RfcnPerf.Reporting.Bench;
using RfcnPerf.Statistics;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf bench compare BASE RUN... [--threshold 5%] [--noise X%] [--fail-on-regression]</c>: every run against the
/// first, case by case (cases matched by model sha256 and configuration, a ratio with its 95% interval widened by the
/// between-run noise band and a verdict, from the raw samples), and the machines side by side (best latency and throughput per model, FP32 vs INT8 speed-up), in one
/// comparison.md with charts. Exit code 3 with --fail-on-regression when any case is "slower", so CI can gate on it.
/// Thin: <see cref="BenchComparison"/> does the work.
/// </summary>
internal static class BenchCompareCommand
{
    /// <summary>Exit code when --fail-on-regression finds a case "slower" than in the base run.</summary>
    public const int Regression = 3;

    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "The base run folder, then one or more to compare with it (results/<time>-<profile>[-<node>-job<id>]/, each with summary.json)",
            Arity = new ArgumentArity(2, 26),
            HelpName = "BASE RUN",
        };
        var outDir = new Option<string?>("--out-dir") { Description = "Where comparison.md and charts/ go (default: results/compare-<yyyyMMdd-HHmmss>/)" };
        var threshold = new Option<string>("--threshold") { Description = "θ: ratios within 1 ± θ are 'same' (e.g. 5% or 0.05)", DefaultValueFactory = _ => "5%" };
        var noise = new Option<string?>("--noise")
        {
            Description = "Between-run noise band: ratios within 1 ± this can come from run-to-run noise alone, and each case's interval is widened by it (e.g. 10%, from your own runs of one build; 0 turns it off). Default: estimated from the matched cases' spread (needs 8)",
        };
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = $"Exit with code {Regression} when any case is 'slower' than in the base run" };
        var command = new Command("compare", "Benchmark runs against the first, case by case (ratio, 95% interval, verdict from the raw samples), and machines side by side: one Markdown summary and charts")
        {
            runs, outDir, threshold, noise, failOnRegression,
        };
        command.SetAction(parse =>
        {
            double theta;
            try
            {
                theta = VerdictRule.ParseThreshold(parse.GetValue(threshold)!);
            }
            catch (FormatException ex)
            {
                throw new ReportException($"--threshold: {ex.Message}");
            }

            NoiseBand? band;
            try
            {
                band = parse.GetValue(noise) is { } text ? NoiseBand.Parse(text) : null;
            }
            catch (FormatException ex)
            {
                throw new ReportException($"--noise: {ex.Message}");
            }

            var dirs = parse.GetValue(runs)!;
            var summaries = dirs.Select(d => (d, BenchComparison.Read(d))).ToArray();
            var gate = parse.GetValue(failOnRegression);
            var dir = parse.GetValue(outDir) ?? Path.Combine("results", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var result = BenchComparison.Compare(summaries, dir, theta, band);
            if (result.PerCaseUnavailable is { } why && gate)
            {
                throw new ReportException($"--fail-on-regression needs per-case verdicts: {why}");
            }

            var output = parse.InvocationConfiguration.Output;
            output.Write(result.Markdown);
            output.WriteLine();
            if (result.PerCaseUnavailable is { } reason)
            {
                parse.InvocationConfiguration.Error.WriteLine($"bench compare: no per-case verdicts: {reason}");
            }

            output.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "comparison.md"))} and its charts");
            if (gate && result.AnySlower)
            {
                parse.InvocationConfiguration.Error.WriteLine($"bench compare: regression: at least one case is slower than in the base run (θ {Md.Percent(theta)}); exit code {Regression}");
                return Regression;
            }

            return 0;
        });
        return command;
    }
}
