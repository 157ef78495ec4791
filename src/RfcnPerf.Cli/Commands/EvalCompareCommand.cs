using System.CommandLine;
using RfcnPerf.Core;
using RfcnPerf.Accuracy;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf eval compare A.json B.json</c>: the side-by-side tables of a report (stats with deltas and their
/// paired-bootstrap intervals over images where the results files are at hand, latency, the classes that lost most)
/// from saved runs: report.json, run.json or eval score --json files.
/// </summary>
internal static class EvalCompareCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Two or more saved runs: report.json (all its models), a model's run.json, or eval score --json output",
            Arity = new ArgumentArity(2, 64),
            HelpName = "RUN.json",
        };
        var perClass = new Option<bool>("--per-class") { Description = "Also print AP per class for every run" };
        var top = new Option<int>("--top") { Description = "Classes listed per comparison among those that lost most AP", DefaultValueFactory = _ => 10 };
        var command = new Command("compare", "Side-by-side COCO stats with deltas (and latency when recorded) from saved runs") { files, perClass, top };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files)!;
            Console.Write(Render(paths, parse.GetValue(perClass), parse.GetValue(top)));
            return 0;
        });
        return command;
    }

    /// <summary>The Markdown the command prints.</summary>
    internal static string Render(IReadOnlyList<string> paths, bool perClass, int top)
    {
        if (top < 0)
        {
            throw new RfcnPerfException($"--top must be 0 or more, got {top}");
        }

        var sources = new List<(string Source, ModelRun Run)>();
        var files = new Dictionary<ModelRun, string>(ReferenceEqualityComparer.Instance);
        var legend = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            var letter = ((char)('A' + (i % 26))).ToString();
            legend.Add($"{letter} = {Path.GetFullPath(paths[i])}");
            foreach (var run in ReportJson.ReadRuns(paths[i]))
            {
                sources.Add((letter, run));
                files[run] = paths[i];
            }
        }

        var runs = RunPairing.Label(sources);
        var duplicated = runs.Select(r => r.Run.Model.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() < runs.Count;
        var pairs = duplicated ? runs.Skip(1).Select(r => (runs[0], r)).ToArray() : RunPairing.Pairs(runs);
        var statNames = runs[0].Run.StatNames;
        foreach (var r in runs.Skip(1).Where(r => !r.Run.StatNames.SequenceEqual(statNames)))
        {
            throw new RfcnPerfException($"{r.Label} was scored with other stats ({string.Join(",", r.Run.StatNames)}) than {runs[0].Label} ({string.Join(",", statNames)}): another iouType or other maxDets, so the stats do not compare");
        }

        var (intervals, notes) = SavedRunBootstrap.Compute(files, pairs);
        var sb = new System.Text.StringBuilder();
        sb.Append(string.Join("\n", legend)).Append("\n\n");
        foreach (var line in ComparisonTables.Verdicts(pairs, intervals))
        {
            sb.Append("- ").Append(line).Append('\n');
        }

        if (pairs.Select(p => intervals(p.Baseline, p.Candidate)).FirstOrDefault(i => i is not null) is { } method)
        {
            sb.Append("- ").Append(ComparisonTables.IntervalNote(method)).Append('\n');
        }

        foreach (var note in notes)
        {
            sb.Append("- note: ").Append(note).Append('\n');
        }

        var counts = runs.Select(r => r.Run.EvaluatedImageCount).Distinct().ToArray();
        if (counts.Length > 1)
        {
            sb.Append("- note: the runs were scored on different image sets (").AppendJoin(", ", runs.Select(r => $"{r.Label}: {r.Run.EvaluatedImageCount} images")).Append("), so their stats are not strictly comparable\n");
        }

        sb.Append("\n## COCO stats\n\n").Append(ComparisonTables.Stats(runs, pairs, intervals));
        sb.Append("\n## Latency (ms per request, warm-up excluded)\n\n").Append(ComparisonTables.Latency(runs));
        if (top > 0)
        {
            foreach (var (baseline, candidate) in pairs)
            {
                sb.Append($"\n## Classes that lost most: {candidate.Label} vs {baseline.Label}\n\n")
                    .Append(ComparisonTables.LossGainCounts(baseline, candidate)).Append("\n\n")
                    .Append(ComparisonTables.TopLosses(baseline, candidate, top));
            }
        }

        if (perClass)
        {
            sb.Append("\n## AP per class\n\n").Append(ComparisonTables.PerClass(runs, pairs, intervals));
        }

        return sb.ToString();
    }
}
