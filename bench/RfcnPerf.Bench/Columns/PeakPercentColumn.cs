using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Columns;

/// <summary>Achieved rate as a percentage of the peak of the cores the case may use (FP32 or INT8 peak).</summary>
public sealed class PeakPercentColumn : CaseColumn
{
    public override string Id => "PeakPercent";

    public override string ColumnName => "% peak";

    public override string Legend => "GFLOP/s as a percentage of the machine's FP32 (or INT8) peak, scaled to the cores the case may use";

    public override int PriorityInCategory => 3;

    internal override double? Compute(CaseInfo info, double meanMs) => Percent(info, meanMs);

    /// <summary>Percentage of peak of a case, or null when unknown.</summary>
    internal static double? Percent(CaseInfo info, double meanMs)
    {
        if (AchievedOpsColumn.Rate(info, meanMs) is not { } rate)
        {
            return null;
        }

        var cores = BenchContext.PhysicalCores;
        return MachinePeak.InForce.PercentOf(rate, info.Variant!.IsInt8, info.Point.AffinityCores ?? cores, cores);
    }
}
