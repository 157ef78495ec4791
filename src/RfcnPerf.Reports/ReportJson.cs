using System.Text.Json;
using System.Text.Json.Serialization;
using RfcnPerf.Coco;
using RfcnPerf.Core;

namespace RfcnPerf.Reports;

/// <summary>
/// Reads and writes run.json and report.json. Doubles are written in shortest round-trip form (System.Text.Json's
/// default), so a reader recovers the exact stats; NaN (e.g. a latency with no runs) is written as "NaN".
/// </summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            JsonSerializer.Serialize(stream, value, Options);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a run.json; null when the file does not exist or is not a readable run (e.g. torn).</summary>
    public static ModelRun? TryReadRun(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var run = JsonSerializer.Deserialize<ModelRun>(File.ReadAllBytes(path), Options);
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
                AccuracyReport.KindName => JsonSerializer.Deserialize<AccuracyReport>(bytes, Options)!.Runs,
                ModelRun.KindName => [JsonSerializer.Deserialize<ModelRun>(bytes, Options)!],
                null when root.ValueKind == JsonValueKind.Object && root.TryGetProperty("stats", out _) => [FromScoreJson(root, path)],
                _ => throw new RfcnPerfException(
                    $"{Path.GetFullPath(path)}: not a report.json, run.json or eval score --json output (kind '{kind ?? "none"}')"),
            };
            foreach (var run in runs)
            {
                if (run.Stats is not { Count: 12 })
                {
                    throw new RfcnPerfException($"{Path.GetFullPath(path)}: a run of '{run.Model?.Name}' has {run.Stats?.Count ?? 0} stats, expected the 12 COCO stats");
                }
            }

            return runs;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new RfcnPerfException($"{Path.GetFullPath(path)}: unreadable ({ex.Message})", ex);
        }
    }

    // eval score --json: {"annotations", "results": [...], "stats": [12], "statNames", "perCategory": [{"id","name","AP",...}], ...}
    private static ModelRun FromScoreJson(JsonElement root, string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var stats = root.GetProperty("stats").EnumerateArray().Select(ReadDouble).ToArray();
        var names = root.TryGetProperty("statNames", out var n)
            ? n.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"];
        var perCategory = root.TryGetProperty("perCategory", out var pc)
            ? pc.EnumerateArray().Select(c => new CocoCategoryMetrics(
                c.GetProperty("id").GetInt64(), c.GetProperty("name").GetString() ?? string.Empty,
                ReadDouble(c.GetProperty("AP")), ReadDouble(c.GetProperty("AP50")), ReadDouble(c.GetProperty("AP75")),
                ReadDouble(c.GetProperty("APs")), ReadDouble(c.GetProperty("APm")), ReadDouble(c.GetProperty("APl")),
                ReadDouble(c.GetProperty("AR100")))).ToArray()
            : [];
        return new ModelRun
        {
            Model = new ModelFacts(name, "?", string.Empty, "?", "?", null, 0, "?", 0, path, null),
            Fingerprint = string.Empty,
            ResultsFile = root.TryGetProperty("results", out var r) ? string.Join(", ", r.EnumerateArray().Select(e => e.GetString())) : string.Empty,
            Annotations = root.TryGetProperty("annotations", out var a) ? a.GetString() ?? string.Empty : string.Empty,
            ImagesProcessed = 0,
            Detections = root.TryGetProperty("detections", out var d) ? d.GetInt32() : 0,
            EvaluatedImageCount = root.TryGetProperty("params", out var p) && p.TryGetProperty("imgIdsCount", out var ic) ? ic.GetInt32() : 0,
            Stats = stats,
            StatNames = names,
            StatLines = [],
            PerCategory = perCategory,
            PrecisionRecall = [],
        };
    }

    private static double ReadDouble(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : e.GetDouble();
}
