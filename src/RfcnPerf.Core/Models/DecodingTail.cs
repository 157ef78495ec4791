using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Models;

/// <summary>
/// Which families have a decoding tail that RfcnPerf cuts out of the graph (and decodes in post-processing
/// instead, <see cref="Yolov8RawHead"/>), and the rewrite that does it (graph work in RfcnPerf.Onnx).
/// </summary>
public static class DecodingTail
{
    /// <summary>The version of <paramref name="family"/>'s cut (part of cache keys); 0 when it has none.</summary>
    public static int CutVersion(ModelFamily family) => family == ModelFamily.Yolov8 ? Yolov8TailCut.Version : 0;

    /// <summary>True when <paramref name="family"/> has a decoding tail to cut.</summary>
    public static bool CanCut(ModelFamily family) => CutVersion(family) > 0;

    /// <summary>
    /// Writes the cut copy of <paramref name="sourcePath"/> to <paramref name="outputPath"/> and returns the raw
    /// head's layout; a model that is not an uncut graph of the family is a <see cref="RfcnPerfException"/>.
    /// </summary>
    public static RawHeadLayout Cut(ModelFamily family, string sourcePath, string outputPath)
    {
        if (!CanCut(family))
        {
            throw new RfcnPerfException($"{sourcePath}: the {family.ToName()} family has no decoding tail to cut");
        }

        try
        {
            return Yolov8TailCut.Cut(sourcePath, outputPath);
        }
        catch (OnnxModelException ex)
        {
            throw new RfcnPerfException(ex.Message, ex);
        }
    }
}
