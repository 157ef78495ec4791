using System.CommandLine;
using RfcnPerf.Accuracy;
using RfcnPerf.Coco.Cli;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf eval analyze --annotations GT --results R.json [--vs R2.json]</c>: what a model's detections got wrong
/// (TIDE errors), its best score threshold, calibration and class confusion, and with <c>--vs</c> how two models'
/// detections of the same images agree. Prints the report's diagnostics sections; <see cref="AnalysisRunner"/> does
/// the work.
/// </summary>
internal static class EvalAnalyzeCommand
{
    public static Command Create()
    {
        var annotations = new Option<string>("--annotations") { Description = "COCO ground truth (e.g. annotations/instances_val2017.json)", HelpName = "GT.json", Required = true };
        var results = new Option<string>("--results") { Description = "COCO results file to analyse (the baseline with --vs)", HelpName = "R.json", Required = true };
        var vs = new Option<string?>("--vs") { Description = "A second results file of the same images (e.g. the INT8 build's): compared box by box with --results", HelpName = "R2.json" };
        var json = new Option<string?>("--json") { Description = "Also write every number (TIDE, curves, confusion matrices raw and normalised, calibration bins, agreement per class and image) as JSON", HelpName = "OUT.json" };
        var outDir = new Option<string?>("--out-dir") { Description = "Also write analysis.md with its charts (and, with --images, the examples) into this folder", HelpName = "DIR" };
        var images = new Option<string?>("--images") { Description = "Folder the ground truth's file names resolve in: draws the images where the two files disagree most into --out-dir", HelpName = "DIR" };
        var examples = new Option<int>("--examples") { Description = "Example images to draw with --images", DefaultValueFactory = _ => 4 };
        var imgIds = new Option<string?>("--img-ids") { Description = "Only these image ids (comma-separated), e.g. the images a --limit run processed", HelpName = "1,2" };
        var agreement = new Option<double?>("--agreement-threshold") { Description = "Score threshold τ of the agreement (default: the --results file's best-F1 threshold)", HelpName = "S" };
        var confusion = new Option<double?>("--confusion-threshold") { Description = "Score threshold of the confusion matrices (default: each file's best-F1 threshold)", HelpName = "S" };
        var threads = new Option<int>("--threads") { Description = "COCOeval threads (default: one per core; results are identical for any count)" };
        var command = new Command("analyze", "What detections got wrong: TIDE error types, precision/recall/F1 against the score threshold, calibration, class confusion; with --vs, box-by-box agreement of two models")
        {
            annotations, results, vs, json, outDir, images, examples, imgIds, agreement, confusion, threads,
        };
        command.SetAction(parse =>
        {
            var options = new AnalysisOptions
            {
                Annotations = parse.GetRequiredValue(annotations),
                Results = parse.GetRequiredValue(results),
                Vs = parse.GetValue(vs),
                Json = parse.GetValue(json),
                OutDir = parse.GetValue(outDir),
                ImagesDir = parse.GetValue(images),
                Examples = parse.GetValue(examples),
                ImageIds = parse.GetValue(imgIds) is { } ids ? EvalScoreCommand.ParseIds("--img-ids", ids) : null,
                AgreementThreshold = parse.GetValue(agreement),
                ConfusionThreshold = parse.GetValue(confusion),
                Threads = parse.GetValue(threads),
            };
            return Run(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>The command's work, writing to the given writers (tests pass their own).</summary>
    internal static int Run(AnalysisOptions options, TextWriter output, TextWriter error)
    {
        var (_, markdown) = AnalysisRunner.Run(options, error.WriteLine);
        output.Write(markdown);
        if (options.OutDir is not null)
        {
            error.WriteLine($"wrote {Path.GetFullPath(Path.Combine(options.OutDir, "analysis.md"))} and its charts");
        }

        if (options.Json is not null)
        {
            error.WriteLine($"wrote {Path.GetFullPath(options.Json)}");
        }

        return 0;
    }
}
