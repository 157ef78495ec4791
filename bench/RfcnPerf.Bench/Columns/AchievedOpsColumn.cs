namespace RfcnPerf.Bench.Columns;

/// <summary>Achieved arithmetic rate: the model's operations per image times images/s.</summary>
public sealed class AchievedOpsColumn : CaseColumn
{
    public override string Id => "AchievedGflops";

    public override string ColumnName => "GFLOP/s";

    public override string Legend => "Achieved giga-operations per second: model operations per image (2 x multiply-adds; integer ops for INT8) x images/s";

    public override int PriorityInCategory => 2;

    internal override double? Compute(CaseInfo info, double meanMs) => Rate(info, meanMs);

    /// <summary>The achieved rate of a case, or null when it does not run a model of known cost.</summary>
    internal static double? Rate(CaseInfo info, double meanMs)
    {
        if (info.Variant is not { } variant || !info.RunsModel)
        {
            return null;
        }

        var figure = ModelCompute.PerImage(variant);
        return figure.IsKnown ? figure.GigaOpsPerImage * ImagesPerSecond(info, meanMs) : null;
    }
}
