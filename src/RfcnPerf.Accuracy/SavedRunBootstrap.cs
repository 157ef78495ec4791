using RfcnPerf.Coco;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The paired bootstrap for saved runs (<c>eval compare</c>): each run's results file is found beside the JSON it was
/// read from (a report.json's <c>&lt;model&gt;/&lt;file&gt;</c>, a run.json's own folder), both runs of a pair are
/// evaluated against their common annotations on their common images, and <see cref="AccuracyBootstrap"/> runs.
/// A pair that cannot be (no results file, other annotations or images, eval score output) gets a note instead.
/// </summary>
public static class SavedRunBootstrap
{
    /// <summary>Intervals per pair (by the runs' labels) and one note per pair left without.</summary>
    public static (ComparisonTables.IntervalLookup Lookup, IReadOnlyList<string> Notes) Compute(
        IReadOnlyDictionary<ModelRun, string> sourceOf, IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs, int threads = 0)
    {
        var results = new Dictionary<(string, string), AccuracyBootstrap.Result>();
        var notes = new List<string>();
        var groundTruths = new Dictionary<string, CocoGroundTruth>(StringComparer.Ordinal);
        foreach (var (baseline, candidate) in pairs)
        {
            var reason = Unpaired(baseline.Run, candidate.Run, sourceOf, out var baselineFile, out var candidateFile);
            if (reason is not null)
            {
                notes.Add($"no interval for {candidate.Label} vs {baseline.Label}: {reason}");
                continue;
            }

            var annotations = baseline.Run.Annotations;
            if (!groundTruths.TryGetValue(annotations, out var gt))
            {
                gt = CocoGroundTruth.Load(annotations);
                groundTruths[annotations] = gt;
            }

            results[(baseline.Label, candidate.Label)] = AccuracyBootstrap.Compute(
                gt, CocoResults.Load(baselineFile!, gt), CocoResults.Load(candidateFile!, gt), baseline.Run.EvaluatedImageIds, threads);
        }

        return ((b, c) => results.GetValueOrDefault((b.Label, c.Label)), notes);
    }

    private static string? Unpaired(ModelRun a, ModelRun b, IReadOnlyDictionary<ModelRun, string> sourceOf, out string? fileA, out string? fileB)
    {
        fileA = ResultsFile(a, sourceOf);
        fileB = ResultsFile(b, sourceOf);
        if (fileA is null || fileB is null)
        {
            return $"results file of {(fileA is null ? a.Model.Name : b.Model.Name)} not found beside its JSON (eval score output records none)";
        }

        if (!string.Equals(Path.GetFullPath(a.Annotations), Path.GetFullPath(b.Annotations), StringComparison.Ordinal) || !File.Exists(a.Annotations))
        {
            return $"scored against other annotations ({a.Annotations}, {b.Annotations}) or the file is gone";
        }

        var same = a.EvaluatedImageIds is null ? b.EvaluatedImageIds is null : b.EvaluatedImageIds is not null && a.EvaluatedImageIds.SequenceEqual(b.EvaluatedImageIds);
        return same ? null : "scored on different image sets";
    }

    private static string? ResultsFile(ModelRun run, IReadOnlyDictionary<ModelRun, string> sourceOf)
    {
        if (string.IsNullOrEmpty(run.ResultsFile) || !sourceOf.TryGetValue(run, out var source))
        {
            return null;
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(source))!;
        return new[] { Path.Combine(dir, run.Model.Name, run.ResultsFile), Path.Combine(dir, run.ResultsFile) }.FirstOrDefault(File.Exists);
    }
}
