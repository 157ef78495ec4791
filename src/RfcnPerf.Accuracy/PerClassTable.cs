namespace RfcnPerf.Accuracy;

/// <summary>Per-class AP of two runs side by side.</summary>
internal static class PerClassTable
{
    /// <summary>One class's AP in both runs.</summary>
    internal sealed record ClassDelta(long Id, string Name, double BaselineAp, double CandidateAp)
    {
        public double Delta => CandidateAp - BaselineAp;
    }

    /// <summary>Classes that have ground truth (AP is not -1) in both runs, in category-id order.</summary>
    public static IReadOnlyList<ClassDelta> Deltas(ModelRun baseline, ModelRun candidate)
    {
        var byId = candidate.PerCategory.ToDictionary(c => c.CategoryId);
        return baseline.PerCategory
            .Where(b => b.AP >= 0 && byId.TryGetValue(b.CategoryId, out var c) && c.AP >= 0)
            .Select(b => new ClassDelta(b.CategoryId, b.Name, b.AP, byId[b.CategoryId].AP))
            .ToArray();
    }
}
