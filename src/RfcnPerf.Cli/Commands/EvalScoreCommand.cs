using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RfcnPerf.Coco;
using RfcnPerf.Accuracy;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf eval score</c>: scores COCO results files against a ground truth with the pycocotools-exact
/// evaluator and prints the 12 summary lines as pycocotools does. Thin: the Coco library loads, evaluates and
/// formats; this parses options and decides what to print where.
/// </summary>
internal static class EvalScoreCommand
{
    private static readonly string[] SortNames = ["ap", "ap50", "ap75", "aps", "apm", "apl", "ar100", "name", "id"];

    public static Command Create()
    {
        var annotations = new Option<string>("--annotations")
        {
            Description = "COCO ground truth (e.g. annotations/instances_val2017.json)",
            HelpName = "GT.json",
            Required = true,
        };
        var results = new Option<string[]>("--results")
        {
            Description = "COCO results file; repeat to score shards together (concatenated in the order given)",
            HelpName = "DT.json",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var useCats = new Option<string>("--use-cats")
        {
            Description = "Evaluate per category (true, default) or class-agnostically (false)",
            HelpName = "true|false",
        };
        var imgIds = new Option<string>("--img-ids") { Description = "Only these image ids (comma-separated)", HelpName = "1,2" };
        var catIds = new Option<string>("--cat-ids") { Description = "Only these category ids (comma-separated)", HelpName = "1,3" };
        var maxDets = new Option<string>("--max-dets") { Description = "maxDets (comma-separated, at least 3; default 1,10,100)", HelpName = "1,10,100" };
        var perClass = new Option<bool>("--per-class") { Description = "Also print a per-category table" };
        var sort = new Option<string>("--sort")
        {
            Description = "Row order of the per-category table: ap|ap50|ap75|aps|apm|apl|ar100 (descending), name|id (ascending)",
            HelpName = "ap",
        };
        var json = new Option<string>("--json") { Description = "Also write stats, per-category values and timings as JSON", HelpName = "OUT.json" };
        var dropUnknown = new Option<bool>("--drop-unknown-images") { Description = "Drop results on images not in the ground truth (counted) instead of failing" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: one per core); results are identical for any count" };
        var timings = new Option<bool>("--timings") { Description = "Print the time of each stage" };
        var allowMissing = new Option<bool>("--allow-missing-shards") { Description = "Score an incomplete set of eval run shards (default: refuse, naming the missing shards)" };

        var command = new Command("score", "Score COCO results against a ground truth (pycocotools COCOeval, bbox, bit-exact)")
        {
            annotations, results, useCats, imgIds, catIds, maxDets, perClass, sort, json, dropUnknown, threads, timings, allowMissing,
        };
        command.SetAction(parseResult =>
        {
            var options = new EvalScoreOptions(
                parseResult.GetRequiredValue(annotations),
                parseResult.GetRequiredValue(results),
                parseResult.GetValue(useCats),
                parseResult.GetValue(imgIds),
                parseResult.GetValue(catIds),
                parseResult.GetValue(maxDets),
                parseResult.GetValue(perClass),
                parseResult.GetValue(sort),
                parseResult.GetValue(json),
                parseResult.GetValue(dropUnknown),
                parseResult.GetValue(threads),
                parseResult.GetValue(timings),
                parseResult.GetValue(allowMissing));
            return Run(options, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>The command's work, writing to the given writers (tests pass their own).</summary>
    internal static int Run(EvalScoreOptions options, TextWriter output, TextWriter error)
    {
        // Options are checked before any file is read, so a typo fails fast.
        var parameters = new CocoEvalParams { UseCats = ParseBool("--use-cats", options.UseCats, true) };
        if (options.ImgIds is not null)
        {
            parameters.ImgIds = ParseIds("--img-ids", options.ImgIds);
        }

        if (options.CatIds is not null)
        {
            parameters.CatIds = ParseIds("--cat-ids", options.CatIds);
        }

        if (options.MaxDets is not null)
        {
            parameters.MaxDets = [.. ParseIds("--max-dets", options.MaxDets).Select(v => v is >= 0 and <= int.MaxValue
                ? (int)v
                : throw new CocoException($"--max-dets: {v} is out of range (expected 0 .. {int.MaxValue})"))];
            if (parameters.MaxDets.Count < 3)
            {
                throw new CocoException($"--max-dets: give at least 3 values (summarize reports AR at the first three), found '{options.MaxDets}'");
            }
        }

        var sort = ParseSort(options.Sort);

        // Shards of one `eval run --shard i/n` (a run.json beside each results file): all of them or a refusal
        // naming the missing ones, and by default the images they processed (with --limit, fewer than the ground truth's).
        var shards = ShardSet.Check(options.Results, options.AllowMissingShards);

        var clock = Stopwatch.StartNew();
        var gt = CocoGroundTruth.Load(options.Annotations);
        var tGt = clock.Elapsed;
        if (shards is not null)
        {
            NoteShards(shards, gt, parameters, options.ImgIds is not null, error);
        }
        var dt = CocoResults.Load(options.Results, gt, options.DropUnknownImages);
        var tDt = clock.Elapsed;
        if (dt.DroppedUnknownImageCount > 0)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: dropped {dt.DroppedUnknownImageCount} result(s) whose image_id is not in {options.Annotations}"));
        }

        var evaluator = new CocoEvaluator(gt, dt, parameters, options.Threads);
        evaluator.Evaluate();
        var tEval = clock.Elapsed;
        evaluator.Accumulate();
        var tAcc = clock.Elapsed;
        var summary = evaluator.Summarize();
        var tSum = clock.Elapsed;
        var timings = new CocoTimings(tGt, tDt - tGt, tEval - tDt, tAcc - tEval, tSum - tAcc);

        output.Write(summary.FormatStats());
        if (options.PerClass)
        {
            output.WriteLine();
            output.Write(summary.FormatPerCategory(sort));
        }

        if (options.Timings)
        {
            output.WriteLine(timings.Format());
        }

        if (options.Json is not null)
        {
            CocoScoreFile.From(options.Annotations, options.Results, dt, summary, timings).Write(options.Json!);
        }

        return 0;
    }

    /// <summary>Says what the merge holds; restricts the evaluation to the shards' images when they are not the whole ground truth.</summary>
    private static void NoteShards(ShardMerge shards, CocoGroundTruth gt, CocoEvalParams parameters, bool explicitImgIds, TextWriter error)
    {
        var restrict = !explicitImgIds && shards.ImageIds.Count != gt.Images.Count;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"note: {shards.Present.Count} of {shards.Count} shards of {shards.Model}, {shards.ImageIds.Count} images{(restrict ? " (scored on these images only, as the unsharded run would be; --img-ids overrides)" : string.Empty)}{(shards.Missing.Count > 0 ? $"; MISSING shards {string.Join(", ", shards.Missing)}: these stats are not the run's" : string.Empty)}"));
        if (restrict)
        {
            parameters.ImgIds = shards.ImageIds;
        }
    }

    private static bool ParseBool(string option, string? text, bool fallback) => text?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new CocoException($"{option}: expected true or false, found '{text}'"),
    };

    internal static long[] ParseIds(string option, string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new CocoException($"{option}: expected a comma-separated list of integers, found '{text}'");
        }

        var ids = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new CocoException($"{option}: '{parts[i]}' is not an integer (expected a comma-separated list such as 1,2,3)");
            }
        }

        return ids;
    }

    private static CocoCategorySort ParseSort(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "ap" => CocoCategorySort.AP,
        "ap50" => CocoCategorySort.AP50,
        "ap75" => CocoCategorySort.AP75,
        "aps" => CocoCategorySort.APs,
        "apm" => CocoCategorySort.APm,
        "apl" => CocoCategorySort.APl,
        "ar100" or "ar" => CocoCategorySort.AR100,
        "name" => CocoCategorySort.Name,
        "id" => CocoCategorySort.Id,
        _ => throw new CocoException($"--sort: expected one of {string.Join("|", SortNames)}, found '{text}'"),
    };
}
