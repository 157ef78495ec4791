using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Core.Models;

/// <summary>
/// The NanoDet-Plus pre/post-processing choices, fixed by measuring COCO AP on the 212-image subset (see the
/// README's accuracy section for the comparison of the candidates).
/// </summary>
public static class NanodetDefaults
{
    /// <summary>How images are fitted into the 416x416 input.</summary>
    public const ResizeMode Resize = ResizeMode.Stretch;

    /// <summary>Prior position within a cell as a fraction of (stride - 1).</summary>
    public const float CenterOffset = 0f;
}
