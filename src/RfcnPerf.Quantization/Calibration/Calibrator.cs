using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Quantization.Calibration;

/// <summary>
/// The calibration pass: runs the calibration model (the FP32 graph with every tensor to calibrate exposed as an
/// output) over the calibration images and feeds each tensor's values into its <see cref="TensorStatistics"/>.
/// </summary>
internal static class Calibrator
{
    /// <summary>
    /// Statistics of each of <paramref name="tensors"/> (outputs of <paramref name="calibrationModel"/>, or its
    /// input) over <paramref name="images"/> pre-processed by <paramref name="spec"/>; <paramref name="onImage"/>
    /// gets the number of images done after each.
    /// </summary>
    public static Dictionary<string, TensorStatistics> Collect(
        byte[] calibrationModel, IReadOnlyList<string> tensors, PreprocessSpec spec, IReadOnlyList<string> images, Action<int>? onImage = null)
    {
        var stats = tensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        ImageRunner.Run([calibrationModel], spec, images, [GraphOptimizationLevel.ORT_ENABLE_ALL], (i, outputs) =>
        {
            foreach (var (name, s) in stats)
            {
                s.Add(outputs[0].Get(name));
            }

            onImage?.Invoke(i + 1);
        });
        return stats;
    }
}
