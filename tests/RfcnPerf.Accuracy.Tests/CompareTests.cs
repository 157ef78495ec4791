using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Reporting;
using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>Reading saved runs back for eval compare, and the side-by-side tables.</summary>
public sealed class CompareTests(NanodetPairFixture fixture) : IClassFixture<NanodetPairFixture>, IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void StatsTable_ShowsEveryRun_AndTheDeltaOfThePair()
    {
        var runs = RunPairing.Label(fixture.Report.Runs.Select(r => ("A", r)).ToArray());
        var pairs = RunPairing.Pairs(runs);
        var table = ComparisonTables.Stats(runs, pairs);

        var fp32 = runs[0].Run.Stats;
        var int8 = runs[1].Run.Stats;
        var apRow = table.Split('\n').Single(l => l.StartsWith("| AP (", StringComparison.Ordinal));
        Assert.Equal($"| AP (AP @[.50:.95] all) | {Md.Stat(fp32[0])} | {Md.Stat(int8[0])} | {Md.Delta(int8[0] - fp32[0])} ({Md.Change((int8[0] - fp32[0]) / fp32[0])}) |", apRow);
        Assert.Equal(2 + 12, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void SavedRuns_GetTheReportsBootstrapIntervals_FromTheResultsFilesBesideThem()
    {
        var reported = Assert.Single(fixture.Report.Comparisons).Intervals;
        Assert.NotNull(reported);
        Assert.Equal(NanodetPairFixture.Images, reported.Images);
        Assert.Contains(reported.Method, File.ReadAllText(Path.Combine(fixture.OutDir, "report.md")), StringComparison.Ordinal);

        // eval compare of the two models' run.json files, and of the report.json holding both.
        foreach (var sources in new[]
        {
            fixture.Report.Runs.Select(r => Path.Combine(fixture.OutDir, r.Model.Name, "run.json")).ToArray(),
            [Path.Combine(fixture.OutDir, "report.json")],
        })
        {
            var (again, notes) = SavedIntervals(sources);

            Assert.Empty(notes);
            Assert.NotNull(again);
            Assert.Equal(reported.Stats, again.Stats);
            Assert.Equal(reported.PerClassAp.OrderBy(p => p.Key), again.PerClassAp.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void SavedRuns_WithoutTheirResultsFiles_GetANoteInsteadOfAnInterval()
    {
        var copies = fixture.Report.Runs.Select(r =>
        {
            var path = Path.Combine(dir.Path, r.Model.Name + ".run.json");
            File.Copy(Path.Combine(fixture.OutDir, r.Model.Name, "run.json"), path);
            return path;
        }).ToArray();

        var (intervals, notes) = SavedIntervals(copies);

        Assert.Null(intervals);
        Assert.Contains("results file of", Assert.Single(notes), StringComparison.Ordinal);
    }

    // What eval compare does with saved JSON files: read the runs, remember where each came from, pair and bootstrap.
    private static (AccuracyBootstrap.Result? Intervals, IReadOnlyList<string> Notes) SavedIntervals(IEnumerable<string> sources)
    {
        var files = new Dictionary<ModelRun, string>(ReferenceEqualityComparer.Instance);
        var read = sources.SelectMany(path => ReportJson.ReadRuns(path).Select(run => (Path: path, Run: run))).ToArray();
        foreach (var (path, run) in read)
        {
            files[run] = path;
        }

        var pairs = RunPairing.Pairs(RunPairing.Label(read.Select(r => ("A", r.Run)).ToArray()));
        var (lookup, notes) = SavedRunBootstrap.Compute(files, pairs);
        return (lookup(pairs[0].Baseline, pairs[0].Candidate), notes);
    }

    [Fact]
    public void EvalScoreJson_IsReadAsARunWithoutLatency()
    {
        var run = fixture.Report.Runs[0];
        var path = Path.Combine(dir.Path, "fp32-score.json");
        // What `eval score --json` writes, through the evaluator's own model of the file.
        new CocoScoreFile(
            run.Annotations, ["x.json"], run.Detections, 0, new CocoScoreParams(true, run.EvaluatedImageCount, [.. run.PerCategory.Select(c => c.CategoryId)], [1, 10, 100]),
            run.Stats, run.StatNames, run.PerCategory, null).Write(path);

        var read = Assert.Single(ReportJson.ReadRuns(path));
        Assert.Equal(run.Stats, read.Stats);
        Assert.Equal(run.PerCategory, read.PerCategory);
        Assert.Equal("fp32-score", read.Model.Name);
        Assert.Null(read.Latency);
    }

    [Fact]
    public void UnreadableFiles_AreOneLineUserErrors()
    {
        var notJson = Path.Combine(dir.Path, "not.json");
        File.WriteAllText(notJson, "{ nope");
        var otherJson = Path.Combine(dir.Path, "other.json");
        File.WriteAllText(otherJson, "{\"kind\": \"something-else\"}");

        Assert.Contains("unreadable", Assert.Throws<RfcnPerfException>(() => ReportJson.ReadRuns(notJson)).Message, StringComparison.Ordinal);
        Assert.Contains("not a report.json, run.json or eval score --json output", Assert.Throws<RfcnPerfException>(() => ReportJson.ReadRuns(otherJson)).Message, StringComparison.Ordinal);
        Assert.Contains("file not found", Assert.Throws<RfcnPerfException>(() => ReportJson.ReadRuns(Path.Combine(dir.Path, "missing.json"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_NameTheSource_WhenTwoRunsShareAModel()
    {
        var run = fixture.Report.Runs[0];
        var labels = RunPairing.Label([("A", run), ("B", run)]).Select(r => r.Label);
        Assert.Equal([TestRuns.FirstName + " (A)", TestRuns.FirstName + " (B)"], labels);
    }
}
