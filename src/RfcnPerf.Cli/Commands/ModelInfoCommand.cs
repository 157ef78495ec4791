using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core.Assets;
using RfcnPerf.Onnx;
using RfcnPerf.Quantization;

namespace RfcnPerf.Cli.Commands;

/// <summary><c>rfcnperf model info MODEL [--json] [--dim NAME=VALUE ...]</c>: what an ONNX file contains and costs.</summary>
internal static class ModelInfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Catalog name (yolov8n, ...) or path to an .onnx file" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (for other tools)" };
        var dims = new Option<string[]>("--dim")
        {
            Description = "Bind a symbolic input dimension for the compute estimate, NAME=VALUE (repeatable; a symbolic batch defaults to 1)",
            AllowMultipleArgumentsPerToken = false,
        };
        dims.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!TryParseDim(token.Value, out _, out _))
                {
                    result.AddError($"--dim expects NAME=VALUE with a positive integer VALUE, found '{token.Value}'.");
                }
            }
        });

        var command = new Command("info", "Inputs/outputs, opsets, op histogram, parameters, quantization and estimated GFLOPs per image")
        {
            model,
            json,
            dims,
        };
        command.SetAction(parseResult =>
        {
            var bindings = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var token in parseResult.GetValue(dims) ?? [])
            {
                TryParseDim(token, out var name, out var value);
                bindings[name] = value;
            }

            var path = ModelLocator.Locate(parseResult.GetValue(model)!, AssetStore.FromEnvironment(), Console.Error.WriteLine).Path;
            var info = ModelInfo.Read(path, bindings);
            Console.Out.Write(parseResult.GetValue(json) ? info.ToJson() + "\n" : info.Format());
            if (!parseResult.GetValue(json) && info.Quantization == QuantizationFormat.QDQ)
            {
                // What ONNX Runtime makes of the Q/DQ pairs decides whether the model is really INT8.
                Console.Out.Write(ModelQuantizer.AnalyzeFusion(File.ReadAllBytes(path)).Format());
            }
            return 0;
        });
        return command;
    }

    private static bool TryParseDim(string token, out string name, out long value)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        name = eq > 0 ? token[..eq] : "";
        value = 0;
        return eq > 0 && long.TryParse(token.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
