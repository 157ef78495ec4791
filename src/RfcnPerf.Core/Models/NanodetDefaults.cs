using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Core.Models;

/// <summary>
/// The NanoDet-Plus pre/post-processing choices, fixed by measuring COCO AP@[.5:.95] with our evaluator on the
/// 212-image subset (NanoDet FP32, BGR, score 0.05, NMS 0.6, 100 dets):
/// <code>
///                       prior offset 0   offset 0.5 (x*s + (s-1)/2)
///   stretch (no ratio)       0.118          0.220
///   letterbox centred        0.123          0.247
///   letterbox top-left       0.122          0.243
/// </code>
/// RGB input instead of BGR loses 2-3 points in every row; offsets 0.4 / 0.6 / 0.75 / 1.0 give 0.234 /
/// 0.241 / 0.206 / 0.135, so the OpenCV zoo's prior placement is the one this export was trained with.
/// </summary>
public static class NanodetDefaults
{
    /// <summary>How images are fitted into the 416x416 input.</summary>
    public const ResizeMode Resize = ResizeMode.LetterboxCentered;

    /// <summary>Prior position within a cell as a fraction of (stride - 1).</summary>
    public const float CenterOffset = 0.5f;
}
