using System.Collections.Concurrent;
using System.Globalization;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Onnx;

namespace RfcnPerf.Bench;

/// <summary>
/// Arithmetic per image of a model variant (GFLOPs for float work, GOPs for quantized work), for the
/// achieved-GFLOP/s and %-of-peak columns: the ONNX tooling's estimate (<c>rfcnperf model info</c>: 2 x
/// multiply-adds of Conv/Gemm/MatMul and their quantized forms, from static shape inference), falling back
/// to the catalog's published figure when the file cannot be analysed.
/// </summary>
internal static class ModelCompute
{
    private static readonly ConcurrentDictionary<ModelVariant, ComputeFigure> Cache = new();

    /// <summary>Giga-operations per image and where the figure comes from; NaN when unknown.</summary>
    public static ComputeFigure PerImage(ModelVariant variant) => Cache.GetOrAdd(variant, Estimate);

    private static ComputeFigure Estimate(ModelVariant variant)
    {
        var published = ModelCatalog.Find(variant.Source) is { PublishedGflops: > 0 } model
            ? new ComputeFigure(model.PublishedGflops, "published figure, model catalog (docs/MODELS.md in the RfcnPerf repository)")
            : new ComputeFigure(double.NaN, "unknown");
        try
        {
            var compute = ModelInfo.Read(BenchAssets.Model(variant)).Compute;
            if (compute.TotalGigaOps <= 0)
            {
                return published;
            }

            var what = compute.IntegerGops > 0 && compute.FloatGflops > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{compute.IntegerGops:F2} G integer + {compute.FloatGflops:F2} G float")
                : compute.IntegerGops > 0 ? "integer ops" : "float ops";
            return new ComputeFigure(compute.TotalGigaOps, $"`rfcnperf model info` estimate, {what}{(compute.Complete ? string.Empty : $", {compute.UnresolvedNodes.Count} nodes unresolved")}", compute);
        }
        catch (Exception ex) when (ex is OnnxModelException or RfcnPerfException)
        {
            return published;
        }
    }
}
