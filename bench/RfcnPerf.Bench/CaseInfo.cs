using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench;

/// <summary>
/// What a BenchmarkDotNet case measured, in sweep terms: the model variant and session configuration (read
/// from an <see cref="ISweepCase"/> instance rebuilt from the case's parameters) and whether the measured
/// method runs the model.
/// </summary>
/// <param name="Variant">Model variant, or null for benchmarks that are not sweep cases.</param>
/// <param name="Point">Session configuration (the default point for non-sweep benchmarks).</param>
/// <param name="RunsModel">True when the method's work includes inference (categories inference, end-to-end).</param>
internal sealed record CaseInfo(ModelVariant? Variant, SweepPoint Point, bool RunsModel)
{
    private static readonly ConditionalWeakTable<BenchmarkCase, CaseInfo> Cache = [];

    /// <summary>Describes <paramref name="benchmarkCase"/> (cached per case).</summary>
    public static CaseInfo Of(BenchmarkCase benchmarkCase) => Cache.GetValue(benchmarkCase, Build);

    private static CaseInfo Build(BenchmarkCase benchmarkCase)
    {
        var categories = benchmarkCase.Descriptor.Categories;
        var runsModel = categories.Contains(BenchCategories.Inference) || categories.Contains(BenchCategories.EndToEnd);
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(ISweepCase).IsAssignableFrom(type) || Activator.CreateInstance(type) is not ISweepCase sweep)
        {
            return new CaseInfo(null, SweepPoint.Default, false);
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
            if (type.GetProperty(parameter.Name, flags) is { CanWrite: true } property)
            {
                property.SetValue(sweep, parameter.Value);
            }
            else
            {
                type.GetField(parameter.Name, flags)?.SetValue(sweep, parameter.Value);
            }
        }

        var point = sweep.Point;
        if (benchmarkCase.Job.Environment.HasValue(EnvironmentMode.AffinityCharacteristic))
        {
            point = point with { AffinityCores = BitOperations.PopCount((ulong)benchmarkCase.Job.Environment.Affinity.ToInt64()) };
        }

        return new CaseInfo(sweep.Variant, point, runsModel);
    }
}
