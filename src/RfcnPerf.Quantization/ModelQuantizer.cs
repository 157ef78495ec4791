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
/// The quantization of one model from end to end, and only its order: resolve the family (its pre-processing and
/// FP32 tail), plan (<see cref="QdqQuantizer.Prepare"/>), calibrate (<see cref="Calibrator"/>), build from the
/// ranges, check what ONNX Runtime fuses (<see cref="FusionReport"/>), optionally measure per-tensor sensitivity,
/// then write the file.
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
        var stats = Calibrator.Collect(quantizer.CalibrationModel(), quantizer.CalibrationTensors, head.Preprocess, request.Calibration.Images,
            done => progress?.Invoke("calibrate", done, request.Calibration.Images.Count));
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
                var images = request.Calibration.Images.Take(request.SensitivityImages).ToArray();
                sensitivity = SensitivityMeasure.Measure(quantizer, built.Bytes, head.Preprocess, images, done => progress?.Invoke("sensitivity", done, images.Length));
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
                using var session = ImageRunner.Open(qdqModel, options, "quantized model");
            }

            return FusionReport.Analyze(qdqModel, temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static FamilyHead ResolveHead(string modelPath, ModelFamily? family)
    {
        using var options = new SessionSettings { OptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL }.ToSessionOptions();
        using var session = ImageRunner.Open(File.ReadAllBytes(modelPath), options, modelPath);
        return FamilyResolver.Resolve(DetectorSession.ReadSignature(session), family, Path.GetFileNameWithoutExtension(modelPath));
    }
}
