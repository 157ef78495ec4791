namespace RfcnPerf.Accuracy;

/// <summary>Decides which runs a report compares: each INT8 model with its FP32 model, else every run with the first.</summary>
public static class RunPairing
{
    /// <summary>
    /// The (baseline, candidate) pairs: catalog FP32 models whose INT8 counterpart also ran, in run order; when
    /// there is none and several runs, every run against the first.
    /// </summary>
    public static IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> Pairs(IReadOnlyList<LabeledRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var pairs = new List<(LabeledRun, LabeledRun)>();
        foreach (var fp32 in runs)
        {
            if (fp32.Run.Model.Int8Counterpart is { } int8Name
                && runs.FirstOrDefault(r => string.Equals(r.Run.Model.Name, int8Name, StringComparison.OrdinalIgnoreCase)) is { } int8)
            {
                pairs.Add((fp32, int8));
            }

            // Other INT8 files of the same FP32 model (a shipped one next to the derived one) are compared with it too.
            foreach (var other in runs.Where(r => r != fp32 && !pairs.Any(p => p.Item2 == r)
                         && Core.Assets.ModelCatalog.Fp32Of(r.Run.Model.Name) is { } source
                         && string.Equals(source.Name, fp32.Run.Model.Name, StringComparison.OrdinalIgnoreCase)))
            {
                pairs.Add((fp32, other));
            }
        }

        if (pairs.Count == 0)
        {
            pairs.AddRange(runs.Skip(1).Select(r => (runs[0], r)));
        }

        return pairs;
    }

    /// <summary>True when the pairs are FP32/INT8 pairs (not "against the first run").</summary>
    public static bool ArePrecisionPairs(IReadOnlyList<(LabeledRun Baseline, LabeledRun Candidate)> pairs) =>
        pairs.Count > 0 && pairs.All(p => string.Equals(
            Core.Assets.ModelCatalog.Fp32Of(p.Candidate.Run.Model.Name)?.Name ?? "", p.Baseline.Run.Model.Name, StringComparison.OrdinalIgnoreCase)
            || (p.Baseline.Run.Model.Int8Counterpart is { } n && string.Equals(n, p.Candidate.Run.Model.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Labels runs by model name, adding the source (e.g. the file) when two runs share a name.</summary>
    public static IReadOnlyList<LabeledRun> Label(IReadOnlyList<(string Source, ModelRun Run)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var duplicated = runs.GroupBy(r => r.Run.Model.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1);
        var labels = runs.Select(r => duplicated ? $"{r.Run.Model.Name} ({r.Source})" : r.Run.Model.Name).ToList();

        // Still ambiguous (same name and source): number them.
        for (var i = 0; i < labels.Count; i++)
        {
            var n = 1;
            for (var j = i + 1; j < labels.Count; j++)
            {
                if (labels[j] == labels[i])
                {
                    labels[j] = $"{labels[j]} #{++n}";
                }
            }
        }

        return runs.Select((r, i) => new LabeledRun(labels[i], r.Run)).ToArray();
    }
}
