using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Quantization.Calibration;

/// <summary>
/// Runs models over calibration images, one image at a time, through the family's own pre-processing (the same
/// letterbox as detection), so calibration sees what detection will feed the quantized model.
/// </summary>
internal static class ImageRunner
{
    /// <summary>
    /// Runs each of <paramref name="models"/> (optimized at the matching <paramref name="levels"/> entry) on each
    /// image pre-processed by <paramref name="spec"/>, then hands <paramref name="onImage"/> the image's index and
    /// every model's outputs; only one image's outputs are alive at a time.
    /// </summary>
    public static void Run(IReadOnlyList<byte[]> models, PreprocessSpec spec, IReadOnlyList<string> images, GraphOptimizationLevel[] levels, Action<int, RunOutputs[]> onImage)
    {
        var sessions = new List<InferenceSession>();
        try
        {
            for (var m = 0; m < models.Count; m++)
            {
                using var options = new SessionSettings { OptimizationLevel = levels[m] }.ToSessionOptions();
                sessions.Add(Open(models[m], options, "calibration model"));
            }

            var shape = new long[] { 1, 3, spec.InputHeight, spec.InputWidth };
            var buffer = new float[spec.ElementsPerImage];
            using var preprocessor = new Preprocessor(spec);
            using var runOptions = new RunOptions();
            for (var i = 0; i < images.Count; i++)
            {
                using (var image = ImageDecoder.Decode(images[i]))
                {
                    preprocessor.WriteNchw(image, buffer);
                }

                using var input = OrtValue.CreateTensorValueFromMemory(buffer, shape);
                var results = new List<IDisposableReadOnlyCollection<OrtValue>>();
                try
                {
                    var outputs = new RunOutputs[sessions.Count];
                    for (var s = 0; s < sessions.Count; s++)
                    {
                        var names = sessions[s].OutputNames.ToArray();
                        IDisposableReadOnlyCollection<OrtValue> values;
                        try
                        {
                            values = sessions[s].Run(runOptions, [sessions[s].InputNames[0]], [input], names);
                        }
                        catch (OnnxRuntimeException ex)
                        {
                            throw OrtErrors.ToUserError(ex, $"ONNX Runtime failed on {images[i]}");
                        }

                        results.Add(values);
                        outputs[s] = new RunOutputs(names, values, sessions[s].InputNames[0], buffer);
                    }

                    onImage(i, outputs);
                }
                finally
                {
                    for (var r = results.Count - 1; r >= 0; r--)
                    {
                        results[r].Dispose();
                    }
                }
            }
        }
        finally
        {
            for (var s = sessions.Count - 1; s >= 0; s--)
            {
                sessions[s].Dispose();
            }
        }
    }

    /// <summary>A session over <paramref name="model"/>; ONNX Runtime's refusal becomes a user error naming <paramref name="what"/>.</summary>
    public static InferenceSession Open(byte[] model, SessionOptions options, string what)
    {
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtErrors.ToUserError(ex, $"ONNX Runtime cannot load the {what}");
        }
    }
}
