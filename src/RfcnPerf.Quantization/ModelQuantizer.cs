using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Onnx;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;
using RfcnPerf.Shared;

namespace RfcnPerf.Quantization;

/// <summary>What to quantize and how.</summary>
/// <param name="ModelPath">FP32 model.</param>
/// <param name="OutputPath">Where the QDQ model goes (written only when everything succeeded).</param>
/// <param name="Calibration">Calibration images.</param>
/// <param name="Options">Quantizer options; its <see cref="QuantizeOptions.Tail"/> is set from the family when <paramref name="KeepHeadFp32"/>.</param>
/// <param name="KeepHeadFp32">Keep the family's decoding tail FP32.</param>
/// <param name="Family">Force a family (else inferred from the signature).</param>
/// <param name="SensitivityImages">Calibration images the sensitivity report compares FP32 and INT8 on (0 = no report).</param>
public sealed record QuantizeRequest(
    string ModelPath,
    string OutputPath,
    CalibrationSet Calibration,
    QuantizeOptions Options,
    bool KeepHeadFp32 = true,
    ModelFamily? Family = null,
    int SensitivityImages = 0);

/// <summary>The outcome of <see cref="ModelQuantizer.Quantize"/>.</summary>
/// <param name="Model">The quantized model and what was quantized.</param>
/// <param name="Fusion">What ONNX Runtime made of it.</param>
/// <param name="Sensitivity">Per-tensor SQNR, worst first (empty unless requested).</param>
/// <param name="Family">The family whose pre-processing fed calibration.</param>
/// <param name="Options">The options in force (tail resolved).</param>
/// <param name="CalibrationImages">Images calibrated on.</param>
/// <param name="CalibrationHash">The calibration set's hash.</param>
/// <param name="CalibrationRanges">The range calibration measured for each calibrated tensor (what the model was built from).</param>
/// <param name="CalibrationTime">Time of the calibration pass.</param>
/// <param name="TotalTime">Time of the whole quantization.</param>
/// <param name="SensitivityError">Why the sensitivity report could not be made, when it failed (the model is still written).</param>
public sealed record QuantizeResult(
    QuantizedModel Model,
    FusionReport Fusion,
    IReadOnlyList<TensorSensitivity> Sensitivity,
    ModelFamily Family,
    QuantizeOptions Options,
    int CalibrationImages,
    string CalibrationHash,
    IReadOnlyDictionary<string, (double Lo, double Hi)> CalibrationRanges,
    TimeSpan CalibrationTime,
    TimeSpan TotalTime,
    string? SensitivityError = null);

/// <summary>
/// Drives <see cref="QdqQuantizer"/> (graph work, in RfcnPerf.Onnx, which never runs a model) with ONNX
/// Runtime: the calibration pass feeds images through the family's own <see cref="Preprocessor"/> (the same
/// letterbox as detection), the fusion report comes from ORT's optimized graph. It lives in Core because Core
/// references Onnx, ORT and the imaging code; Onnx references none of them.
/// </summary>
public static class ModelQuantizer
{
    /// <summary>
    /// Calibrates, quantizes, checks the fusion and writes <see cref="QuantizeRequest.OutputPath"/> atomically.
    /// <paramref name="progress"/> gets (phase, done, total). Throws <see cref="RfcnPerfException"/> or
    /// <see cref="OnnxModelException"/> for user errors before anything is written.
    /// </summary>
    public static QuantizeResult Quantize(QuantizeRequest request, Action<string, int, int>? progress = null)
    {
        var total = Stopwatch.StartNew();
        if (request.Calibration.Images.Count == 0)
        {
            throw new RfcnPerfException($"calibration set {request.Calibration.Description} is empty");
        }

        QdqQuantizer.CheckQuantizable(request.ModelPath);
        var head = ResolveHead(request.ModelPath, request.Family);
        if (head.Preprocess.Layout != TensorLayout.NchwFloat)
        {
            throw new RfcnPerfException($"{request.ModelPath}: the quantizer calibrates float NCHW image inputs; this {head.Family.ToName()} model takes {head.Preprocess.Layout}");
        }

        var options = request.Options with { Tail = request.KeepHeadFp32 ? head.QuantizationTail : HeadTail.None };
        var quantizer = QdqQuantizer.Prepare(request.ModelPath, options);
        var hash = request.Calibration.Hash();

        var calibration = Stopwatch.StartNew();
        var stats = quantizer.CalibrationTensors.ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        RunOver([quantizer.CalibrationModel()], head, request.Calibration.Images, [GraphOptimizationLevel.ORT_ENABLE_ALL], (i, outputs) =>
        {
            foreach (var (name, s) in stats)
            {
                s.Add(outputs[0].Get(name));
            }

            progress?.Invoke("calibrate", i + 1, request.Calibration.Images.Count);
        });
        calibration.Stop();

        var ranges = quantizer.Ranges(stats);
        var built = quantizer.BuildFromRanges(ranges, Provenance(hash, request.Calibration.Images.Count));
        var fusion = AnalyzeFusion(built.Bytes);
        if (fusion.MostConvsNotFused)
        {
            throw new RfcnPerfException(
                $"{request.ModelPath}: ONNX Runtime fused only {fusion.Int8Convs} of {fusion.QdqConvs} quantized Conv nodes into integer kernels; " +
                $"the model would run mostly in float between Q/DQ pairs (slower than FP32), so it was not written" +
                (fusion.LeftInFloat.FirstOrDefault() is { } f ? $" (e.g. {f.Name}: {f.Reason})" : ""));
        }

        IReadOnlyList<TensorSensitivity> sensitivity = [];
        string? sensitivityError = null;
        if (request.SensitivityImages > 0)
        {
            try
            {
                sensitivity = Sensitivity(quantizer, built.Bytes, head, request.Calibration.Images.Take(request.SensitivityImages).ToArray(), progress);
            }
            catch (RfcnPerfException ex)
            {
                sensitivityError = ex.Message;
            }
        }

        AtomicFile.WriteAllBytes(request.OutputPath, built.Bytes);
        return new QuantizeResult(built, fusion, sensitivity, head.Family, options, request.Calibration.Images.Count, hash, ranges, calibration.Elapsed, total.Elapsed, sensitivityError);
    }

    /// <summary>What a built model's metadata says about its calibration set (part of its bytes).</summary>
    internal static string Provenance(string calibrationHash, int images) =>
        string.Create(CultureInfo.InvariantCulture, $"calibration {calibrationHash[..16]} ({images} images)");

    /// <summary>Asks ONNX Runtime for the optimized graph of a model (bytes) and reports what it fused.</summary>
    public static FusionReport AnalyzeFusion(byte[] qdqModel)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"rfcnperf-optimized-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionSettings().ToSessionOptions())
            {
                options.OptimizedModelFilePath = temp;
                using var session = CreateSession(qdqModel, options, "quantized model");
            }

            return FusionReport.Analyze(qdqModel, temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static IReadOnlyList<TensorSensitivity> Sensitivity(QdqQuantizer quantizer, byte[] qdq, FamilyHead head, IReadOnlyList<string> images, Action<string, int, int>? progress)
    {
        var signal = new Dictionary<string, double>(StringComparer.Ordinal);
        var noise = new Dictionary<string, double>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var tensors = quantizer.CalibrationTensors;

        // Both models run on each image in turn, so only one image's activations are alive at a time. The QDQ
        // model runs unoptimized: its Q/DQ pairs computed literally are the quantization's definition, and ORT's
        // fusions cannot apply to tensors that are graph outputs anyway.
        RunOver([quantizer.CalibrationModel(), quantizer.SensitivityModel(qdq)], head, images, [GraphOptimizationLevel.ORT_ENABLE_ALL, GraphOptimizationLevel.ORT_DISABLE_ALL], (i, outputs) =>
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

            progress?.Invoke("sensitivity", i + 1, images.Count);
        });
        return signal.Keys
            .Select(t => new TensorSensitivity(t, noise[t] > 0 ? 10 * Math.Log10(signal[t] / noise[t]) : double.PositiveInfinity, counts[t]))
            .OrderBy(s => s.SqnrDb).ThenBy(s => s.Tensor, StringComparer.Ordinal).ToList();
    }

    /// <summary>One model's outputs for the current image, valid during the callback only.</summary>
    private sealed class RunOutputs(string[] names, IReadOnlyList<OrtValue> values, string inputName, float[] input)
    {
        public bool Has(string name) => name == inputName || Array.IndexOf(names, name) >= 0;

        public ReadOnlySpan<float> Get(string name) =>
            name == inputName ? input : values[Array.IndexOf(names, name)].GetTensorDataAsSpan<float>();
    }

    /// <summary>Runs each model over the images, one image at a time, through the family's pre-processing.</summary>
    private static void RunOver(IReadOnlyList<byte[]> models, FamilyHead head, IReadOnlyList<string> images, GraphOptimizationLevel[] levels, Action<int, RunOutputs[]> onImage)
    {
        var sessions = new List<InferenceSession>();
        try
        {
            for (var m = 0; m < models.Count; m++)
            {
                using var options = new SessionSettings { OptimizationLevel = levels[m] }.ToSessionOptions();
                sessions.Add(CreateSession(models[m], options, "calibration model"));
            }

            var spec = head.Preprocess;
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

    private static FamilyHead ResolveHead(string modelPath, ModelFamily? family)
    {
        using var options = new SessionSettings { OptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL }.ToSessionOptions();
        using var session = CreateSession(File.ReadAllBytes(modelPath), options, modelPath);
        return FamilyResolver.Resolve(DetectorSession.ReadSignature(session), family, Path.GetFileNameWithoutExtension(modelPath));
    }

    private static InferenceSession CreateSession(byte[] model, SessionOptions options, string what)
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
