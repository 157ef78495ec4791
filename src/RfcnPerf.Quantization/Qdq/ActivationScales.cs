using RfcnPerf.Onnx;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The quantization parameters of every quantized activation: each calibration tensor's from its calibrated range,
/// a Concat scale group's from the union of its members' ranges, and a tensor that shares another's scale
/// (<see cref="QdqPlan.SharesWith"/>) those of its root.
/// </summary>
internal sealed class ActivationScales
{
    private readonly QdqPlan plan;
    private readonly Dictionary<string, QuantParams> byRoot;

    private ActivationScales(QdqPlan plan, Dictionary<string, QuantParams> byRoot)
    {
        this.plan = plan;
        this.byRoot = byRoot;
    }

    /// <summary>Parameters per calibration tensor, in the plan's order.</summary>
    public IReadOnlyDictionary<string, QuantParams> ByCalibrationTensor => byRoot;

    /// <summary>
    /// Parameters from <paramref name="calibrated"/> (one range per <see cref="QdqPlan.CalibrationTensors"/> entry;
    /// a missing one is refused naming <paramref name="source"/> and the tensor), uint8 or int8.
    /// </summary>
    public static ActivationScales From(QdqPlan plan, IReadOnlyDictionary<string, (double Lo, double Hi)> calibrated, bool unsigned, string source)
    {
        var measured = new Dictionary<string, (double Lo, double Hi)>(StringComparer.Ordinal);
        foreach (var t in plan.CalibrationTensors)
        {
            measured[t] = calibrated.TryGetValue(t, out var r)
                ? r
                : throw new OnnxModelException($"{source}: no calibrated range for tensor '{t}'.");
        }

        var byRoot = measured.ToDictionary(kv => kv.Key, kv => QuantParams.ForActivation(kv.Value.Lo, kv.Value.Hi, unsigned), StringComparer.Ordinal);
        foreach (var group in plan.ConcatScaleGroups)
        {
            var shared = QuantParams.ForActivation(group.Min(t => measured[t].Lo), group.Max(t => measured[t].Hi), unsigned);
            foreach (var t in group)
            {
                byRoot[t] = shared;
            }
        }

        return new ActivationScales(plan, byRoot);
    }

    /// <summary>The parameters of quantized activation <paramref name="tensor"/>.</summary>
    public QuantParams Of(string tensor) => byRoot[plan.Root(tensor)];
}
