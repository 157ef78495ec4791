using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Models;
using RfcnPerf.Quantization;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;
using Spectre.Console;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf model quantize MODEL</c>: static QDQ quantization calibrated on COCO images that the evaluation
/// never sees; prints what was quantized, what ONNX Runtime fused, and (with --report) per-tensor SQNR.
/// </summary>
internal static class ModelQuantizeCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "FP32 model: catalog name (yolov8n, ...) or .onnx path" };
        var output = new Option<string?>("--out") { Description = "Quantized model to write (default: ./<model>-int8.onnx)", HelpName = "OUT.onnx" };
        var calibration = new Option<string?>("--calibration")
        {
            Description = "Calibration images: a folder or a .txt list (default: the COCO folder's images that its annotation file does not list)",
            HelpName = "DIR|LIST.txt",
        };
        var count = new Option<int?>("--calibration-images") { Description = "Use only the first N calibration images", HelpName = "N" };
        var coco = new Option<string?>("--coco") { Description = "COCO folder for the default calibration set (default: RFCNPERF_COCO, else ./data/coco)" };
        var method = new Option<string>("--method") { Description = "minmax | percentile | entropy", DefaultValueFactory = _ => "percentile" };
        var percentile = new Option<double>("--percentile") { Description = "Percentile for --method percentile", DefaultValueFactory = _ => QuantizeOptions.DefaultPercentile };
        var perChannel = new Option<bool>("--per-channel") { Description = "Per-output-channel weight scales (default)" };
        var perTensor = new Option<bool>("--per-tensor") { Description = "One scale per weight tensor" };
        var activations = new Option<string>("--activations") { Description = "u8 (default, U8S8: what ONNX Runtime fuses on x86) | s8", DefaultValueFactory = _ => "u8" };
        var exclude = new Option<string[]>("--exclude") { Description = "Node name or op type to keep FP32 (repeatable)", HelpName = "NODE_OR_OP", AllowMultipleArgumentsPerToken = true };
        var keepHead = new Option<bool>("--keep-head-fp32") { Description = "Keep the family's decoding tail FP32 (default)" };
        var quantizeHead = new Option<bool>("--quantize-head") { Description = "Quantize the decoding tail too" };
        var quantizeStem = new Option<bool>("--quantize-stem") { Description = "Quantize the image stem (the Conv on the RGB input) too; by default it stays FP32, where ONNX Runtime's int8 kernel is slower" };
        var concatScale = new Option<bool>("--concat-own-scales") { Description = "Quantize each Concat input with its own range (by default a Concat's inputs and output share the union of their ranges, so ONNX Runtime's QLinearConcat copies bytes)" };
        var family = new Option<string?>("--family") { Description = "yolov8 | nanodet-plus (default: inferred)" };
        var report = new Option<string?>("--report") { Description = "Write a JSON report with per-tensor SQNR (FP32 vs INT8 on calibration images, worst first)", HelpName = "OUT.json" };
        var sensitivityImages = new Option<int>("--report-images") { Description = "Calibration images the SQNR report compares on", DefaultValueFactory = _ => 8 };
        var command = new Command("quantize", "Static INT8 quantization (QDQ, U8S8, per-channel) calibrated on COCO images; reports ONNX Runtime's fusion")
        {
            model, output, calibration, count, coco, method, percentile, perChannel, perTensor, activations, exclude, keepHead, quantizeHead, quantizeStem, concatScale, family, report, sensitivityImages,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(perChannel) && parse.GetValue(perTensor))
            {
                throw new RfcnPerfException("--per-channel and --per-tensor exclude each other");
            }

            if (parse.GetValue(keepHead) && parse.GetValue(quantizeHead))
            {
                throw new RfcnPerfException("--keep-head-fp32 and --quantize-head exclude each other");
            }

            var options = new QuantizeOptions
            {
                Method = ParseMethod(parse.GetValue(method)!),
                Percentile = parse.GetValue(percentile),
                PerChannel = !parse.GetValue(perTensor),
                UnsignedActivations = parse.GetValue(activations) switch
                {
                    "u8" => true,
                    "s8" => false,
                    var other => throw new RfcnPerfException($"--activations expects u8 or s8, found '{other}'"),
                },
                Exclude = parse.GetValue(exclude) ?? [],
                KeepStemFp32 = !parse.GetValue(quantizeStem),
                ConcatSharesScale = !parse.GetValue(concatScale),
            };
            var located = ModelLocator.Locate(parse.GetValue(model)!, AssetStore.FromEnvironment(), Console.Error.WriteLine);
            var outPath = parse.GetValue(output) ?? Path.GetFullPath($"{located.DisplayName}-int8.onnx");
            if (string.Equals(Path.GetFullPath(outPath), located.Path, StringComparison.Ordinal))
            {
                throw new RfcnPerfException($"{outPath}: --out must differ from the model; the quantizer writes a new file");
            }

            var set = ResolveCalibration(parse.GetValue(calibration), parse.GetValue(coco)).Take(parse.GetValue(count));
            var reportPath = parse.GetValue(report);
            var request = new QuantizeRequest(
                located.Path, outPath, set, options, !parse.GetValue(quantizeHead),
                parse.GetValue(family) is { } f ? ModelFamilyNames.Parse(f) : null,
                reportPath is null ? 0 : Math.Max(1, parse.GetValue(sensitivityImages)));
            var result = WithProgress(request);
            Console.Out.Write(Summary(located.DisplayName, outPath, set, result));
            if (reportPath is not null)
            {
                WriteReport(reportPath, located, outPath, set, result);
                Console.Out.WriteLine($"report       {Path.GetFullPath(reportPath)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The calibration set a command line names: a folder/list, else the COCO folder's images its annotations do not list.</summary>
    internal static CalibrationSet ResolveCalibration(string? spec, string? cocoDir)
    {
        if (spec is not null)
        {
            return CalibrationSet.FromSpec(spec);
        }

        var folder = CocoDataPaths.Resolve(cocoDir);
        CocoDataPaths.Require(folder.Images, "COCO images folder (for the default calibration set)");
        CocoDataPaths.Require(folder.Annotations, "COCO annotation file (for the default calibration set)");
        return CalibrationSet.NotAnnotated(folder.Images, folder.Annotations);
    }

    internal static CalibrationMethod ParseMethod(string text) => text switch
    {
        "minmax" => CalibrationMethod.MinMax,
        "percentile" => CalibrationMethod.Percentile,
        "entropy" => CalibrationMethod.Entropy,
        _ => throw new RfcnPerfException($"--method expects minmax, percentile or entropy, found '{text}'"),
    };

    internal static QuantizeResult WithProgress(QuantizeRequest request)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return ModelQuantizer.Quantize(request);
        }

        QuantizeResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = ModelQuantizer.Quantize(request, (phase, done, total) =>
                {
                    if (!tasks.TryGetValue(phase, out var task))
                    {
                        tasks[phase] = task = ctx.AddTask(Markup.Escape(phase), maxValue: total);
                    }

                    task.Value = done;
                });
            });
        return result!;
    }

    internal static string Summary(string name, string outPath, CalibrationSet set, QuantizeResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var m = r.Model;
        var sw = new StringWriter(ci);
        sw.WriteLine($"quantized    {name} -> {Path.GetFullPath(outPath)} ({m.Bytes.Length.ToString("N0", ci)} bytes) in {r.TotalTime.TotalSeconds:F1} s " +
                     $"(calibration {r.CalibrationTime.TotalSeconds:F1} s), peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        sw.WriteLine($"options      {r.Options.Describe()}{(m.OpsetUpgraded ? " (graph moved to opset 13 for per-channel weights)" : "")}" +
                     $"{(r.Options.PerChannel && !m.PerChannel ? " (per-tensor: the graph's opset cannot take per-channel DequantizeLinear)" : "")}");
        sw.WriteLine($"calibration  {r.CalibrationImages} images, {set.Description}; sha256 {r.CalibrationHash[..16]}; pre-processing of family {r.Family.ToName()}");
        sw.WriteLine($"quantized    {m.QuantizedNodes} nodes ({string.Join(", ", m.QuantizedByOp.Select(kv => $"{kv.Key} {kv.Value}"))}), " +
                     $"{m.QuantizedActivations} activations uint8/int8, {m.QuantizedWeights} weight tensors int8");
        var fp32 = m.Fp32Nodes.GroupBy(n => n.Reason).Select(g => $"{g.Key}: {string.Join(", ", g.GroupBy(n => n.OpType).Select(o => $"{o.Key} {o.Count()}"))}");
        sw.WriteLine($"FP32         {m.Fp32Nodes.Count} nodes; {string.Join("; ", fp32)}");
        sw.Write(r.Fusion.Format());
        if (r.Sensitivity.Count > 0)
        {
            sw.WriteLine($"sensitivity  SQNR vs FP32 (dB, worst first): {string.Join(", ", r.Sensitivity.Take(5).Select(s => $"{s.Tensor} {s.SqnrDb:F1}"))}; " +
                         $"median {r.Sensitivity[r.Sensitivity.Count / 2].SqnrDb:F1} over {r.Sensitivity.Count} tensors");
        }

        if (r.SensitivityError is { } why)
        {
            sw.WriteLine($"sensitivity  not available: {why}");
        }

        return sw.ToString();
    }

    private static void WriteReport(string path, LocatedModel located, string outPath, CalibrationSet set, QuantizeResult r)
    {
        var json = new
        {
            model = located.DisplayName,
            source = located.Path,
            output = Path.GetFullPath(outPath),
            options = r.Options.Describe(),
            quantizerVersion = QdqQuantizer.Version,
            family = r.Family.ToName(),
            calibration = new { images = r.CalibrationImages, description = set.Description, sha256 = r.CalibrationHash, seconds = r.CalibrationTime.TotalSeconds },
            seconds = r.TotalTime.TotalSeconds,
            quantizedNodes = r.Model.QuantizedNodes,
            quantizedByOp = r.Model.QuantizedByOp.ToDictionary(kv => kv.Key, kv => kv.Value),
            fp32Nodes = r.Model.Fp32Nodes.Select(n => new { n.Name, n.OpType, n.Reason }),
            fusion = new
            {
                int8Kernels = r.Fusion.Int8Kernels,
                int8Convs = r.Fusion.Int8Convs,
                quantizedConvs = r.Fusion.QdqConvs,
                floatConvs = r.Fusion.FloatConvs,
                quantizeLinear = r.Fusion.QuantizeNodes,
                dequantizeLinear = r.Fusion.DequantizeNodes,
                optimizedOps = r.Fusion.OptimizedOps.ToDictionary(kv => kv.Key, kv => kv.Value),
                leftInFloat = r.Fusion.LeftInFloat.Select(n => new { n.Name, n.OpType, n.Reason }),
            },
            activations = r.Model.Activations.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new { tensor = kv.Key, scale = kv.Value.Scale, zeroPoint = kv.Value.ZeroPoint }),
            sensitivityError = r.SensitivityError,
            sensitivity = r.Sensitivity.Select(s => new { s.Tensor, sqnrDb = double.IsFinite(s.SqnrDb) ? s.SqnrDb : (double?)null, s.Elements }),
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) + "\n");
    }
}
