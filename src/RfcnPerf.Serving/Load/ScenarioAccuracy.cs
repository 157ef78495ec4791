using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RfcnPerf.Coco;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// LoadGen's accuracy mode (<c>--mode accuracy</c>): every sample of the library once through the same system under
/// test a performance run drives, in queries of the scenario's size (offline: one query of all; multi-stream: 8;
/// the others: 1) issued back to back, since no latency is judged. The answers are written as a COCO results file
/// with Core's writer and scored from that file with the COCO evaluator, exactly as <c>eval score</c> scores it, so
/// the printed summary equals <c>eval score --annotations GT --results FILE</c> bit for bit.
/// </summary>
internal static class ScenarioAccuracy
{
    /// <summary>
    /// Runs every sample of <paramref name="library"/> through <paramref name="sut"/> (which records into
    /// <paramref name="log"/>), writes <c>{prefix}accuracy-results.json</c>, <c>-summary.txt</c> and
    /// <c>-summary.json</c> into <paramref name="dir"/>, prints the 12-line summary and returns it. When the library
    /// holds only part of the annotation file's images, only those are scored (COCOeval's params.imgIds), as
    /// <c>eval run --limit</c> does.
    /// </summary>
    public static async Task<CocoSummary> RunAsync(ISystemUnderTest sut, AccuracyLog log, SampleLibrary library, LoadScenario scenario,
        string annotations, string dir, string prefix, TextWriter w, CancellationToken cancel)
    {
        var perQuery = scenario switch
        {
            LoadScenario.Offline => library.Count,
            LoadScenario.MultiStream => ScenarioSettings.MultiStreamSamplesPerQuery,
            _ => 1,
        };
        w.WriteLine($"{sut.Name}: {LoadScenarioNames.Name(scenario)}, accuracy mode: {library.Count} of {library.Available} images once each, {perQuery} per query");
        var clock = ScenarioClock.StartReal();
        var failed = new List<string>();
        for (var start = 0; start < library.Count; start += perQuery)
        {
            var samples = Enumerable.Range(start, Math.Min(perQuery, library.Count - start)).ToArray();
            var answers = await sut.IssueAsync(new ScenarioQuery(start / perQuery, samples, clock.NowNs), clock, cancel).ConfigureAwait(false);
            failed.AddRange(answers.Select((a, i) => a.Error is { } e ? $"{library.Paths[samples[i]]}: {e}" : null).OfType<string>());
        }

        // An accuracy figure over fewer images than asked for would read as the model's; refuse it. A server's
        // error or unreadable answer is a failed sample here too (RemoteSut), never an image without detections.
        if (failed.Count > 0 || log.Recorded != library.Count)
        {
            throw new Core.RfcnPerfException($"{sut.Name}: {Math.Max(failed.Count, library.Count - log.Recorded)} of {library.Count} samples got no usable answer in accuracy mode (an error, or detections that could not be read)" +
                (failed.Count > 0 ? $" (first: {failed[0]})" : string.Empty) + "; no accuracy figure from an incomplete set");
        }

        Directory.CreateDirectory(dir);
        var resultsPath = Path.Combine(dir, prefix + "accuracy-results.json");
        DetectionResultsFile.Write(resultsPath, log.Images());

        // Scored from the file just written, as `eval score` does (same loader, same default parameters).
        var gt = CocoGroundTruth.Load(annotations);
        var dt = CocoResults.Load(resultsPath, gt);
        var parameters = new CocoEvalParams();
        var restricted = library.Count < gt.Images.Count;
        if (restricted)
        {
            parameters.ImgIds = [.. library.ImageIds];
        }

        var summary = new CocoEvaluator(gt, dt, parameters).Run();
        var stats = summary.FormatStats();
        w.Write(stats);

        var text = Path.Combine(dir, prefix + "accuracy-summary.txt");
        File.WriteAllText(text, $"SUT name : {sut.Name}\nScenario : {LoadScenarioNames.LoadGenName(scenario)}\nMode     : AccuracyOnly\n" +
            $"Results  : {Path.GetFileName(resultsPath)} ({dt.Count} detections on {library.Count} images" + (restricted ? ", scored on these images only" : string.Empty) + ")\n" +
            $"Ground truth : {annotations}\n\n" + stats);
        var json = new JsonObject
        {
            ["sut"] = sut.Name,
            ["scenario"] = LoadScenarioNames.Name(scenario),
            ["mode"] = "accuracy",
            ["annotations"] = annotations,
            ["results_file"] = Path.GetFileName(resultsPath),
            ["images"] = library.Count,
            ["images_available"] = library.Available,
            ["scored_on_loaded_images_only"] = restricted,
            ["detections"] = dt.Count,
            ["stats"] = new JsonArray([.. summary.Stats.Select(s => (JsonNode?)s)]),
            ["stat_names"] = new JsonArray([.. summary.StatNames.Select(s => (JsonNode?)s)]),
            ["settings"] = new JsonObject
            {
                ["samples_per_query"] = perQuery,
                ["performance_sample_count"] = library.Count,
                ["qsl_rng_seed"] = library.Seed,
            },
        };
        var jsonPath = Path.Combine(dir, prefix + "accuracy-summary.json");
        File.WriteAllText(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {resultsPath}, {text} and {jsonPath}"));
        return summary;
    }
}
