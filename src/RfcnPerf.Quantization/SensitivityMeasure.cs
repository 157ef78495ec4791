using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization;

/// <summary>Per-tensor SQNR of a built QDQ model against its FP32 source, measured on calibration images.</summary>
internal static class SensitivityMeasure
{
    /// <summary>
    /// Runs the FP32 calibration model and <paramref name="qdq"/> (with its dequantized activations exposed) on
    /// each image and accumulates, per calibration tensor, signal and quantization noise; worst SQNR first.
    /// </summary>
    public static IReadOnlyList<TensorSensitivity> Measure(QdqQuantizer quantizer, byte[] qdq, PreprocessSpec spec, IReadOnlyList<string> images, Action<int>? onImage)
    {
        var signal = new Dictionary<string, double>(StringComparer.Ordinal);
        var noise = new Dictionary<string, double>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var tensors = quantizer.CalibrationTensors;

        // Both models run on each image in turn, so only one image's activations are alive at a time. The QDQ
        // model runs unoptimized: its Q/DQ pairs computed literally are the quantization's definition, and ORT's
        // fusions cannot apply to tensors that are graph outputs anyway.
        ImageRunner.Run([quantizer.CalibrationModel(), quantizer.SensitivityModel(qdq)], spec, images, [GraphOptimizationLevel.ORT_ENABLE_ALL, GraphOptimizationLevel.ORT_DISABLE_ALL], (i, outputs) =>
        {
            foreach (var t in tensors)
            {
                if (!outputs[0].Has(t) || !outputs[1].Has(QdqQuantizer.DequantizedName(t)))
                {
                    continue; // graph inputs
                }

                var x = outputs[0].Get(t);
                var y = outputs[1].Get(QdqQuantizer.DequantizedName(t));
                double s = 0, n = 0;
                for (var k = 0; k < x.Length; k++)
                {
                    s += (double)x[k] * x[k];
                    var d = (double)x[k] - y[k];
                    n += d * d;
                }

                signal[t] = signal.GetValueOrDefault(t) + s;
                noise[t] = noise.GetValueOrDefault(t) + n;
                counts[t] = counts.GetValueOrDefault(t) + x.Length;
            }

            onImage?.Invoke(i + 1);
        });
        return signal.Keys
            .Select(t => new TensorSensitivity(t, noise[t] > 0 ? 10 * Math.Log10(signal[t] / noise[t]) : double.PositiveInfinity, counts[t]))
            .OrderBy(s => s.SqnrDb).ThenBy(s => s.Tensor, StringComparer.Ordinal).ToList();
    }
}
