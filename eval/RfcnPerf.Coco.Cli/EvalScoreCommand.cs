using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace RfcnPerf.Coco.Cli;

/// <summary>
/// <c>rfcnperf eval score</c>: scores COCO results files against a ground truth with the pycocotools-exact
/// evaluator (bbox, segm or keypoints) and prints the summary lines as pycocotools does. Thin: the Coco library
/// loads, evaluates and formats; this parses options and decides what to print where. The one definition of the
/// command, for rfcnperf (in-process) and for the native rfcnperf-eval.
/// </summary>
public static class EvalScoreCommand
{
    private static readonly string[] SortNames = ["ap", "ap50", "ap75", "aps", "apm", "apl", "ar100", "name", "id"];

    /// <summary>The command, its action running <see cref="Run"/>.</summary>
    /// <param name="resultsSets">What the caller knows about sets of results files (rfcnperf: eval run shards).</param>
    public static Command Create(ResultsSetCheck resultsSets)
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
        var maxDets = new Option<string>("--max-dets") { Description = "maxDets (comma-separated; bbox/segm: at least 3, default 1,10,100; keypoints: default 20)", HelpName = "1,10,100" };
        var iouType = new Option<string>("--iou-type")
        {
            Description = "What to compare: bbox (boxes, default), segm (masks: polygons or run-length) or keypoints (OKS)",
            HelpName = "bbox|segm|keypoints",
        };
        var kptSigmas = new Option<string>("--kpt-sigmas")
        {
            Description = "keypoints: the OKS sigma of each keypoint as used (no /10; default the 17 COCO ones, 0.026,0.025,...)",
            HelpName = "0.026,0.025,...",
        };
        var perClass = new Option<bool>("--per-class") { Description = "Also print a per-category table" };
        var sort = new Option<string>("--sort")
        {
            Description = "Row order of the per-category table: ap|ap50|ap75|aps|apm|apl|ar100 (descending), name|id (ascending)",
            HelpName = "ap",
        };
        var json = new Option<string>("--json") { Description = "Also write stats, per-category values and timings as JSON", HelpName = "OUT.json" };
        var arrays = new Option<string>("--arrays") { Description = "Also write accumulate()'s precision, recall and scores arrays to DIR (.f64: little-endian float64, C order, as numpy's tofile)", HelpName = "DIR" };
        var dropUnknown = new Option<bool>("--drop-unknown-images") { Description = "Drop results on images not in the ground truth (counted) instead of failing" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: one per core); results are identical for any count" };
        var timings = new Option<bool>("--timings") { Description = "Print the time of each stage" };
        var allowMissing = new Option<bool>("--allow-missing-shards") { Description = "Score an incomplete set of eval run shards (default: refuse, naming the missing shards)" };

        var command = new Command("score", "Score COCO results against a ground truth (pycocotools COCOeval: bbox, segm or keypoints, bit-exact)")
        {
            annotations, results, iouType, useCats, imgIds, catIds, maxDets, kptSigmas, perClass, sort, json, dropUnknown, threads, timings, allowMissing, arrays,
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
                parseResult.GetValue(allowMissing),
                parseResult.GetValue(arrays),
                parseResult.GetValue(iouType),
                parseResult.GetValue(kptSigmas));
            return Run(options, resultsSets, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>The command's work, writing to the given writers (tests pass their own).</summary>
    /// <returns>The exit code (0).</returns>
    /// <exception cref="CocoException">An option value or an input file is invalid (one line for the user).</exception>
    public static int Run(EvalScoreOptions options, ResultsSetCheck resultsSets, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resultsSets);

        // Options are checked before any file is read, so a typo fails fast.
        var type = CocoIouType.Bbox;
        if (options.IouType is not null && !CocoIouTypeNames.TryParse(options.IouType.Trim().ToLowerInvariant(), out type))
        {
            throw new CocoException($"--iou-type: expected bbox, segm or keypoints, found '{options.IouType}'");
        }

        bool keypoints = type == CocoIouType.Keypoints;
        var parameters = new CocoEvalParams(type) { UseCats = ParseBool("--use-cats", options.UseCats, true) };
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
            if (!keypoints && parameters.MaxDets.Count < 3)
            {
                throw new CocoException($"--max-dets: give at least 3 values (summarize reports AR at the first three), found '{options.MaxDets}'");
            }
        }

        if (options.KptSigmas is not null)
        {
            if (!keypoints)
            {
                throw new CocoException("--kpt-sigmas: only for --iou-type keypoints");
            }

            parameters.KeypointSigmas = ParseSigmas(options.KptSigmas);
        }

        if (keypoints && !parameters.UseCats)
        {
            error.WriteLine("warning: --use-cats false with keypoints: pycocotools' computeOks then looks the ground truth up under category -1, finds none and matches nothing, so every AP and AR is 0; computed as pycocotools does");
        }

        var sort = ParseSort(options.Sort);

        // Shards of one `eval run --shard i/n`: checked before any file is read, applied once the ground truth is known.
        var resultsSet = resultsSets(options);

        var clock = Stopwatch.StartNew();
        var gt = CocoGroundTruth.Load(options.Annotations, type, options.Threads);
        var tGt = clock.Elapsed;
        resultsSet?.Invoke(gt, parameters, error);
        var dt = CocoResults.Load(options.Results, gt, type, options.DropUnknownImages, options.Threads);
        var tDt = clock.Elapsed;
        if (dt.DroppedUnknownImageCount > 0)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: dropped {dt.DroppedUnknownImageCount} result(s) whose image_id is not in {options.Annotations}"));
        }

        var evaluator = new CocoEvaluator(gt, dt, parameters, options.Threads);
        evaluator.Evaluate();
        var tEval = clock.Elapsed;
        var accumulation = evaluator.Accumulate();
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

        if (options.Arrays is not null)
        {
            accumulation.WriteArrays(options.Arrays);
        }

        if (options.Json is not null)
        {
            CocoScoreFile.From(options.Annotations, options.Results, dt, summary, timings).Write(options.Json!);
        }

        return 0;
    }

    private static bool ParseBool(string option, string? text, bool fallback) => text?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new CocoException($"{option}: expected true or false, found '{text}'"),
    };

    /// <summary>Parses a comma-separated id list of <paramref name="option"/> (<c>--img-ids 1,2</c>); a bad entry is a <see cref="CocoException"/> naming the option.</summary>
    public static long[] ParseIds(string option, string text)
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

    private static double[] ParseSigmas(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sigmas = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out sigmas[i]) || !double.IsFinite(sigmas[i]) || sigmas[i] <= 0)
            {
                throw new CocoException($"--kpt-sigmas: '{parts[i]}' is not a positive number (expected one sigma per keypoint, as used: 0.026,0.025,...)");
            }
        }

        return sigmas.Length > 0 ? sigmas : throw new CocoException($"--kpt-sigmas: expected one sigma per keypoint (comma-separated), found '{text}'");
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
