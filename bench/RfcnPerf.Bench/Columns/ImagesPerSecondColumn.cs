namespace RfcnPerf.Bench.Columns;

/// <summary>Images per second: batch x streams per request round, over the mean round time.</summary>
public sealed class ImagesPerSecondColumn : CaseColumn
{
    public override string Id => "ImagesPerSecond";

    public override string ColumnName => "images/s";

    public override string Legend => "Images per second: images per sample (batch x streams) / mean time per sample";

    public override int PriorityInCategory => 0;

    internal override double? Compute(CaseInfo info, double meanMs) =>
        info.Variant is null || !info.RunsModel ? null : ImagesPerSecond(info, meanMs);
}
