using System.Globalization;
using RfcnPerf.Core;

namespace RfcnPerf.Accuracy;

/// <summary>
/// Checks that results files given to one merge (<c>eval score --results a --results b ...</c>) are the complete
/// set of shards of one run, from the run.json beside each file (written by <c>eval run --shard i/n</c>): the same
/// run (<see cref="ShardInfo.SetId"/>), each shard once, none missing. Files without a run.json (e.g. from
/// <c>detect --shard</c> or another tool) carry no shard metadata; when no file has any, there is nothing to check.
/// </summary>
public static class ShardSet
{
    /// <summary>
    /// The shard set of <paramref name="resultsPaths"/>, or null when none of them has shard metadata.
    /// </summary>
    /// <param name="resultsPaths">Results files as given on the command line.</param>
    /// <param name="allowMissing">Accept an incomplete set (its <see cref="ShardMerge.Missing"/> lists the gaps).</param>
    /// <exception cref="RfcnPerfException">Shards are missing (named), given twice, from different runs, or mixed
    /// with files that are not shards.</exception>
    public static ShardMerge? Check(IReadOnlyList<string> resultsPaths, bool allowMissing)
    {
        ArgumentNullException.ThrowIfNull(resultsPaths);
        if (resultsPaths.FirstOrDefault(p => !File.Exists(p)) is { } absent)
        {
            throw new RfcnPerfException($"{Path.GetFullPath(absent)}: results file not found (an eval run shard writes it only when it has finished)");
        }

        var parts = resultsPaths.Select(p => (Path: p, Run: ShardRun(p))).ToArray();
        var first = parts.FirstOrDefault(p => p.Run?.Shard is not null);
        if (first.Run is null)
        {
            return null;
        }

        var set = first.Run.Shard!;
        if (parts.FirstOrDefault(p => p.Run?.Shard is null) is { Path: not null } plain)
        {
            throw new RfcnPerfException(
                $"{plain.Path} is not a shard (no run.json with shard metadata beside it) but {first.Path} is shard {Label(set)}: merge the shards of one run only");
        }

        var byIndex = new SortedDictionary<int, string>();
        foreach (var (path, run) in parts)
        {
            var shard = run!.Shard!;
            if (shard.SetId != set.SetId || shard.Count != set.Count)
            {
                throw new RfcnPerfException(
                    $"{path} is shard {Label(shard)} of another run than {first.Path} (shard {Label(set)}): model, settings, images, --limit or the shard count differ");
            }

            if (!byIndex.TryAdd(shard.Index, path))
            {
                throw new RfcnPerfException($"shard {Label(shard)} is given twice: {byIndex[shard.Index]} and {path}");
            }
        }

        var missing = Enumerable.Range(0, set.Count).Where(i => !byIndex.ContainsKey(i)).ToArray();
        if (missing.Length > 0 && !allowMissing)
        {
            var names = string.Join(", ", missing.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}/{set.Count}")));
            throw new RfcnPerfException(string.Create(CultureInfo.InvariantCulture,
                $"incomplete shard set: shard{(missing.Length > 1 ? "s" : string.Empty)} {names} missing (given {byIndex.Count} of {set.Count}: {string.Join(", ", byIndex.Keys)}) for {first.Run.Model.Name}; run {(missing.Length > 1 ? "them" : "it")} (eval run --shard {names}) and add {(missing.Length > 1 ? "their" : "its")} --results, or pass --allow-missing-shards to score what is there"));
        }

        var imageIds = parts.SelectMany(p => p.Run!.EvaluatedImageIds ?? []).Distinct().Order().ToArray();
        return new ShardMerge(first.Run.Model.Name, set.Count, [.. byIndex.Keys], missing, imageIds, set.SetImages);
    }

    private static string Label(ShardInfo shard) => string.Create(CultureInfo.InvariantCulture, $"{shard.Index}/{shard.Count}");

    /// <summary>The run.json beside a results file when it describes that file, else null.</summary>
    private static ModelRun? ShardRun(string resultsPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        var run = ReportJson.TryReadRun(Path.Combine(dir, "run.json"));
        return run is not null && string.Equals(run.ResultsFile, Path.GetFileName(resultsPath), StringComparison.Ordinal) ? run : null;
    }
}
