using System.Collections.Concurrent;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Assets;

namespace RfcnPerf.Bench;

/// <summary>
/// Arithmetic per image of a model variant (GFLOPs for FP32, GOPs for INT8), for the achieved-GFLOP/s and
/// %-of-peak columns. The single plug-in point for the ONNX tooling's estimate (<c>rfcnperf model info</c>).
/// </summary>
internal static class ModelCompute
{
    private static readonly ConcurrentDictionary<ModelVariant, ComputeFigure> Cache = new();

    /// <summary>Giga-operations per image and where the figure comes from; NaN when unknown.</summary>
    public static ComputeFigure PerImage(ModelVariant variant) => Cache.GetOrAdd(variant, Estimate);

    private static ComputeFigure Estimate(ModelVariant variant)
    {
        // Until the ONNX tooling lands: the catalog's published figure (2 x multiply-adds per image).
        if (ModelCatalog.Find(variant.Source) is { PublishedGflops: > 0 } model)
        {
            return new ComputeFigure(model.PublishedGflops, "published figure (docs/MODELS.md)");
        }

        return new ComputeFigure(double.NaN, "unknown");
    }
}
