namespace RfcnPerf.Bench.Columns;

/// <summary>Mean milliseconds per image: the request time shared out over its images (1000 / images/s).</summary>
public sealed class MsPerImageColumn : CaseColumn
{
    public override string Id => "MsPerImage";

    public override string ColumnName => "ms/image";

    public override string Legend => "Mean time per image in ms: mean time per sample / (batch x streams)";

    public override int PriorityInCategory => 1;

    internal override double? Compute(CaseInfo info, double meanMs) =>
        info.Variant is null ? null : meanMs / info.Point.ImagesPerInvocation;
}
