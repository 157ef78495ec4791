using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Data;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization;

/// <summary>
/// Builds the catalog's derived INT8 models (<see cref="ModelDerivation.Quantize"/>): the source model quantized with
/// <see cref="DefaultOptions"/> on <see cref="DefaultCalibration"/> (the COCO folder's images that its annotation file
/// does not list). The CLI and the benchmark register it with <see cref="DerivedModels.Register"/>; the cache key
/// holds the calibration set's hash, the options, the quantizer version and the ONNX Runtime version (calibration
/// runs the FP32 model through it, so a build from an older runtime must not survive an upgrade).
/// </summary>
public sealed class QuantizedModelBuilder : IDerivedModelBuilder
{
    /// <summary>The options every derived model is built with.</summary>
    public static QuantizeOptions DefaultOptions { get; } = new() { KeepStemFp32 = true };

    /// <inheritdoc/>
    public ModelDerivation Derivation => ModelDerivation.Quantize;

    /// <summary>Registers the builder (the CLI and the benchmark call this once at start).</summary>
    public static void Register() => DerivedModels.Register(new QuantizedModelBuilder());

    /// <summary>The default calibration set of the COCO folder in force; throws naming the missing folder.</summary>
    public static CalibrationSet DefaultCalibration()
    {
        var root = CocoFolder.Resolve(null).Root;
        var images = Path.Combine(root, "val2017");
        var annotations = Path.Combine(root, "annotations", "instances_val2017.json");
        if (!Directory.Exists(images) || !File.Exists(annotations))
        {
            throw new RfcnPerfException(
                $"building a derived INT8 model needs calibration images: the COCO folder {root} (val2017/ and annotations/instances_val2017.json) was not found; set RFCNPERF_COCO or pass --coco");
        }

        return CalibrationSet.NotAnnotated(images, annotations);
    }

    /// <inheritdoc/>
    public string KeyInputs(CatalogModel model) => KeyInputs(DefaultCalibration());

    /// <inheritdoc/>
    public void Build(CatalogModel model, string sourcePath, string outputPath, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(model);
        var calibration = DefaultCalibration();
        log?.Invoke($"building {model.Name}: quantizing {model.DerivedFrom} with the default options on {calibration.Description} ...");
        var result = ModelQuantizer.Quantize(new QuantizeRequest(sourcePath, outputPath, calibration, DefaultOptions));
        log?.Invoke($"built {model.Name} in {result.TotalTime.TotalSeconds:F0} s ({result.Options.Describe()}): {result.Fusion.Int8Convs} of {result.Fusion.QdqConvs} Conv fused into int8 kernels; {outputPath}");
    }

    private static string KeyInputs(CalibrationSet calibration) =>
        $"{calibration.Hash()}\n{DefaultOptions.Describe()}\nquantizer v{QdqQuantizer.Version}\nonnxruntime {OrtEnv.Instance().GetVersionString()}";
}
