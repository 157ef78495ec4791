using System.Text.Json;
using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// Reads run.json and report.json (written with <see cref="JsonReportFile"/>, whose doubles round-trip exactly).
/// </summary>
public static class ReportJson
{
    /// <summary>Reads a run.json; null when the file does not exist or is not a readable run (e.g. torn).</summary>
    public static ModelRun? TryReadRun(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var run = JsonReportFile.Read<ModelRun>(File.ReadAllBytes(path));
            return run?.Kind == ModelRun.KindName ? run : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The runs a saved file holds, for <c>eval compare</c>: every run of a report.json, the one run of a run.json,
    /// or the stats of an <c>eval score --json</c> output (no model facts or latency).
    /// </summary>
    /// <exception cref="RfcnPerfException">The file is missing or is none of those.</exception>
    public static IReadOnlyList<ModelRun> ReadRuns(string path)
    {
        if (!File.Exists(path))
        {
            throw new RfcnPerfException($"{Path.GetFullPath(path)}: file not found (expected a report.json, a run.json or an eval score --json output)");
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            var kind = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kind", out var k) ? k.GetString() : null;
            IReadOnlyList<ModelRun> runs = kind switch
            {
                AccuracyReport.KindName => JsonReportFile.Read<AccuracyReport>(bytes)!.Runs,
                ModelRun.KindName => [JsonReportFile.Read<ModelRun>(bytes)!],
                null when CocoScoreFile.Recognizes(root) => [FromScoreJson(root, path)],
                _ => throw new RfcnPerfException(
                    $"{Path.GetFullPath(path)}: not a report.json, run.json or eval score --json output (kind '{kind ?? "none"}')"),
            };
            foreach (var run in runs)
            {
                if (run.Stats is not { Count: 12 or 10 } || run.StatNames?.Count != run.Stats.Count)
                {
                    throw new RfcnPerfException($"{Path.GetFullPath(path)}: a run of '{run.Model?.Name}' has {run.Stats?.Count ?? 0} stats and {run.StatNames?.Count ?? 0} names, expected the 12 COCO stats (10 for keypoints) with their names");
                }
            }

            return runs;
        }
        catch (CocoException ex)
        {
            throw new RfcnPerfException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new RfcnPerfException($"{Path.GetFullPath(path)}: unreadable ({ex.Message})", ex);
        }
    }

    // An eval score --json output: the evaluator owns its format; here it becomes a run without model facts or latency.
    private static ModelRun FromScoreJson(JsonElement root, string path)
    {
        var score = CocoScoreFile.FromElement(root, Path.GetFullPath(path));
        return new ModelRun
        {
            Model = new ModelFacts(Path.GetFileNameWithoutExtension(path), null, string.Empty, Md.Unknown, Md.Unknown, null, 0, Md.Unknown, 0, path, null),
            Fingerprint = string.Empty,
            ResultsFile = string.Join(", ", score.Results),
            Annotations = score.Annotations,
            ImagesProcessed = 0,
            Detections = score.Detections,
            EvaluatedImageCount = score.Params.ImgIdsCount,
            Stats = score.Stats,
            StatNames = score.StatNames,
            StatLines = [],
            PerCategory = score.PerCategory,
            PrecisionRecall = [],
        };
    }
}
