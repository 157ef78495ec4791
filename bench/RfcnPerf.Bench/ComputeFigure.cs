namespace RfcnPerf.Bench;

/// <summary>Giga-operations per image (2 x multiply-adds) and how the figure was obtained.</summary>
internal readonly record struct ComputeFigure(double GigaOpsPerImage, string Source, RfcnPerf.Onnx.ComputeEstimate? Estimate = null)
{
    /// <summary>True when the figure is a number.</summary>
    public bool IsKnown => double.IsFinite(GigaOpsPerImage) && GigaOpsPerImage > 0;
}
