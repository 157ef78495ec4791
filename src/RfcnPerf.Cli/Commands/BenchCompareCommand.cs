using System.CommandLine;
using System.Globalization;
using RfcnPerf.Reporting.Bench;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf bench compare RUN_DIR...</c>: benchmark runs of several machines side by side (best latency and
/// throughput per model, FP32 vs INT8 speed-up per machine) in one comparison.md with charts. Thin:
/// <see cref="BenchComparison"/> does the work.
/// </summary>
internal static class BenchCompareCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Two or more benchmark run folders (results/<time>-<profile>[-<node>-job<id>]/, each with summary.json)",
            Arity = new ArgumentArity(2, 26),
            HelpName = "RUN_DIR",
        };
        var outDir = new Option<string?>("--out-dir") { Description = "Where comparison.md and charts/ go (default: results/compare-<yyyyMMdd-HHmmss>/)" };
        var command = new Command("compare", "Benchmark runs of several machines side by side: best latency/throughput and INT8 speed-up, one Markdown summary and charts") { runs, outDir };
        command.SetAction(parse =>
        {
            var dirs = parse.GetValue(runs)!;
            var summaries = dirs.Select(d => (d, BenchComparison.Read(d))).ToArray();
            var dir = parse.GetValue(outDir) ?? Path.Combine("results", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var markdown = BenchComparison.Write(summaries, dir);
            parse.InvocationConfiguration.Output.Write(markdown);
            parse.InvocationConfiguration.Output.WriteLine();
            parse.InvocationConfiguration.Output.WriteLine($"wrote {Path.GetFullPath(Path.Combine(dir, "comparison.md"))} and its charts");
            return 0;
        });
        return command;
    }
}
