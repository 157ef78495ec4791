using System.CommandLine;
using RfcnPerf.Core.Assets;
using RfcnPerf.Onnx;

namespace RfcnPerf.Cli.Commands;

/// <summary><c>rfcnperf model batchify IN OUT</c>: write a copy of a batch-1 model with a dynamic batch dimension.</summary>
internal static class ModelBatchifyCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "Batch-1 ONNX model to read: a catalog name (yolov8n, ...) or a path" };
        var output = new Argument<string>("OUT") { Description = "Where to write the model with a symbolic batch dimension" };
        var command = new Command("batchify", "Make the batch dimension dynamic (docs/MODELS.md section 4), refusing graphs that would mix images")
        {
            input,
            output,
        };
        command.SetAction(parseResult =>
        {
            var inPath = ModelLocator.Locate(parseResult.GetValue(input)!, AssetStore.FromEnvironment(), Console.Error.WriteLine).Path;
            var outPath = parseResult.GetValue(output)!;
            if (string.Equals(Path.GetFullPath(inPath), Path.GetFullPath(outPath), StringComparison.Ordinal))
            {
                throw new OnnxModelException($"{outPath}: OUT must differ from IN; batchify writes a new file and keeps the original.");
            }

            var report = OnnxBatchify.Batchify(inPath, outPath);
            Console.Out.WriteLine($"{outPath}: {report.Summary()}");
            return 0;
        });
        return command;
    }
}
