using System.Globalization;
using System.Text.Json;

namespace RfcnPerf.Coco;

/// <summary>
/// The <c>eval score --json</c> document, written and read here only: the inputs, the iouType, the evaluation
/// parameters, the stats with their names (12; 10 for keypoints), per-category values and stage timings. Doubles
/// are written in shortest round-trip form, so <see cref="Read(string)"/> gives back the exact stats.
/// </summary>
/// <param name="Annotations">The ground-truth file scored against.</param>
/// <param name="Results">The results files, in the order they were concatenated.</param>
/// <param name="Detections">Detections kept.</param>
/// <param name="DroppedUnknownImages">Detections dropped because their image is not in the ground truth.</param>
/// <param name="Params">The evaluation parameters that matter for reading the stats.</param>
/// <param name="Stats">The stats in pycocotools' order (12; 10 for keypoints).</param>
/// <param name="StatNames">Names of <paramref name="Stats"/> (AR names follow maxDets).</param>
/// <param name="PerCategory">Per-category values in category-id order.</param>
/// <param name="Timings">Stage timings, or null when the file has none.</param>
/// <param name="IouType">What was evaluated (a file without the field is a bbox evaluation).</param>
public sealed record CocoScoreFile(
    string Annotations,
    IReadOnlyList<string> Results,
    int Detections,
    int DroppedUnknownImages,
    CocoScoreParams Params,
    IReadOnlyList<double> Stats,
    IReadOnlyList<string> StatNames,
    IReadOnlyList<CocoCategoryMetrics> PerCategory,
    CocoTimings? Timings,
    CocoIouType IouType = CocoIouType.Bbox)
{
    /// <summary>The document for one scoring run.</summary>
    public static CocoScoreFile From(string annotations, IReadOnlyList<string> results, CocoResults dt, CocoSummary summary, CocoTimings? timings)
    {
        ArgumentNullException.ThrowIfNull(dt);
        ArgumentNullException.ThrowIfNull(summary);
        var setup = summary.Setup;
        return new CocoScoreFile(
            annotations,
            results,
            dt.Count,
            dt.DroppedUnknownImageCount,
            new CocoScoreParams(setup.UseCats, setup.I, setup.UseCats ? setup.CatIds : setup.PooledCatIds, setup.MaxDets),
            summary.Stats,
            summary.StatNames,
            summary.PerCategory,
            timings,
            summary.IouType);
    }

    /// <summary>Writes the document (indented) to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        using var stream = File.Create(path);
        Write(stream);
    }

    /// <summary>Writes the document (indented) to a stream.</summary>
    public void Write(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("iouType", CocoIouTypeNames.Name(IouType));
        writer.WriteString("annotations", Annotations);
        writer.WriteStartArray("results");
        foreach (string path in Results)
        {
            writer.WriteStringValue(path);
        }

        writer.WriteEndArray();
        writer.WriteNumber("detections", Detections);
        writer.WriteNumber("droppedUnknownImages", DroppedUnknownImages);
        writer.WriteStartObject("params");
        writer.WriteBoolean("useCats", Params.UseCats);
        writer.WriteNumber("imgIdsCount", Params.ImgIdsCount);
        writer.WriteStartArray("catIds");
        foreach (long c in Params.CatIds)
        {
            writer.WriteNumberValue(c);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("maxDets");
        foreach (int m in Params.MaxDets)
        {
            writer.WriteNumberValue(m);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("stats");
        foreach (double s in Stats)
        {
            writer.WriteNumberValue(s);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("statNames");
        foreach (string n in StatNames)
        {
            writer.WriteStringValue(n);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("perCategory");
        foreach (var c in PerCategory)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", c.CategoryId);
            writer.WriteString("name", c.Name);
            writer.WriteNumber(nameof(c.AP), c.AP);
            writer.WriteNumber(nameof(c.AP50), c.AP50);
            writer.WriteNumber(nameof(c.AP75), c.AP75);
            writer.WriteNumber(nameof(c.APs), c.APs);
            writer.WriteNumber(nameof(c.APm), c.APm);
            writer.WriteNumber(nameof(c.APl), c.APl);
            writer.WriteNumber(nameof(c.AR100), c.AR100);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (Timings is { } t)
        {
            writer.WriteStartObject("timings");
            writer.WriteNumber("loadGroundTruth", t.LoadGroundTruth.TotalSeconds);
            writer.WriteNumber("loadResults", t.LoadResults.TotalSeconds);
            writer.WriteNumber("evaluate", t.Evaluate.TotalSeconds);
            writer.WriteNumber("accumulate", t.Accumulate.TotalSeconds);
            writer.WriteNumber("summarize", t.Summarize.TotalSeconds);
            writer.WriteNumber("total", t.Total.TotalSeconds);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether a parsed JSON object looks like this document (it has <c>stats</c> and no <c>kind</c>).</summary>
    public static bool Recognizes(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("stats", out _) && !root.TryGetProperty("kind", out _);

    /// <summary>Reads a document from <paramref name="path"/>.</summary>
    /// <exception cref="CocoException">The file is missing, is not JSON, or a field is missing or of the wrong type (the message names file and field).</exception>
    public static CocoScoreFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CocoException($"{path}: cannot read the eval score --json file ({ex.Message})", ex);
        }

        return Parse(bytes, path);
    }

    /// <summary>Reads a document from its bytes; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="CocoException">Not JSON, or a field is missing or of the wrong type.</exception>
    public static CocoScoreFile Parse(ReadOnlyMemory<byte> json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromElement(doc.RootElement, source);
        }
        catch (JsonException ex)
        {
            throw new CocoException($"{source}: not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Reads a document from a parsed root object; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="CocoException">A field is missing or of the wrong type.</exception>
    public static CocoScoreFile FromElement(JsonElement root, string source)
    {
        var r = new FieldReader(source);
        r.Expect(root, JsonValueKind.Object, "the document");
        var p = r.Property(root, "params", JsonValueKind.Object);
        var iouType = CocoIouType.Bbox;
        if (root.TryGetProperty("iouType", out var typeElement))
        {
            string name = r.String(typeElement, "iouType");
            if (!CocoIouTypeNames.TryParse(name, out iouType))
            {
                throw new CocoException($"{source}: field 'iouType': expected bbox, segm or keypoints, found '{name}'");
            }
        }

        var stats = r.Array(root, "stats", (e, f) => r.Double(e, f));
        var names = r.Array(root, "statNames", (e, f) => r.String(e, f));
        int expected = iouType == CocoIouType.Keypoints ? 10 : 12;
        if (stats.Length != expected || names.Length != expected)
        {
            throw new CocoException($"{source}: expected the {expected} COCO stats and their {expected} names, found {stats.Length} stats and {names.Length} names (iouType {CocoIouTypeNames.Name(iouType)}: 12 for bbox and segm, 10 for keypoints)");
        }

        var perCategory = root.TryGetProperty("perCategory", out _)
            ? r.Array(root, "perCategory", (c, f) =>
            {
                r.Expect(c, JsonValueKind.Object, f);
                return new CocoCategoryMetrics(
                    r.Long(r.Property(c, "id", JsonValueKind.Number, f), f + ".id"),
                    r.String(r.Property(c, "name", JsonValueKind.String, f), f + ".name"),
                    r.Double(c, f, nameof(CocoCategoryMetrics.AP)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.AP50)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.AP75)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.APs)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.APm)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.APl)),
                    r.Double(c, f, nameof(CocoCategoryMetrics.AR100)));
            })
            : [];
        CocoTimings? timings = null;
        if (root.TryGetProperty("timings", out var t))
        {
            r.Expect(t, JsonValueKind.Object, "timings");
            TimeSpan Seconds(string name) => r.Seconds(t, "timings", name);
            timings = new CocoTimings(Seconds("loadGroundTruth"), Seconds("loadResults"), Seconds("evaluate"), Seconds("accumulate"), Seconds("summarize"));
        }

        return new CocoScoreFile(
            r.String(r.Property(root, "annotations", JsonValueKind.String), "annotations"),
            r.Array(root, "results", (e, f) => r.String(e, f)),
            (int)r.Long(r.Property(root, "detections", JsonValueKind.Number), "detections"),
            root.TryGetProperty("droppedUnknownImages", out var dropped) ? (int)r.Long(dropped, "droppedUnknownImages") : 0,
            new CocoScoreParams(
                r.Property(p, "useCats", JsonValueKind.True, "params").GetBoolean(),
                (int)r.Long(r.Property(p, "imgIdsCount", JsonValueKind.Number, "params"), "params.imgIdsCount"),
                r.Array(p, "catIds", (e, f) => r.Long(e, f), "params"),
                r.Array(p, "maxDets", (e, f) => (int)r.Long(e, f), "params")),
            stats,
            names,
            perCategory,
            timings,
            iouType);
    }

    // Typed access that names the file and field on every mismatch.
    private readonly struct FieldReader(string source)
    {
        public void Expect(JsonElement e, JsonValueKind kind, string field)
        {
            bool ok = kind == JsonValueKind.True ? e.ValueKind is JsonValueKind.True or JsonValueKind.False : e.ValueKind == kind;
            if (!ok)
            {
                throw new CocoException($"{source}: field '{field}': expected {Name(kind)}, found {Name(e.ValueKind)}");
            }
        }

        private static string Name(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "a " + kind.ToString().ToLowerInvariant(),
        };

        public JsonElement Property(JsonElement obj, string name, JsonValueKind kind, string? parent = null)
        {
            string field = parent is null ? name : parent + "." + name;
            if (!obj.TryGetProperty(name, out var value))
            {
                throw new CocoException($"{source}: field '{field}' is missing (expected an eval score --json document)");
            }

            Expect(value, kind, field);
            return value;
        }

        public T[] Array<T>(JsonElement obj, string name, Func<JsonElement, string, T> item, string? parent = null)
        {
            string field = parent is null ? name : parent + "." + name;
            var array = Property(obj, name, JsonValueKind.Array, parent);
            var values = new T[array.GetArrayLength()];
            int i = 0;
            foreach (var e in array.EnumerateArray())
            {
                values[i] = item(e, string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"));
                i++;
            }

            return values;
        }

        public string String(JsonElement e, string field)
        {
            Expect(e, JsonValueKind.String, field);
            try
            {
                return e.GetString()!;
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json checks UTF-8 (and \u escapes) only when it transcodes a string.
                throw new CocoException($"{source}: field '{field}': expected UTF-8 text, found invalid bytes or an invalid \\u escape");
            }
        }

        public TimeSpan Seconds(JsonElement obj, string parent, string name)
        {
            double seconds = Double(obj, parent, name);
            return double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new CocoException($"{source}: field '{parent}.{name}': expected a duration in seconds (>= 0 and finite), found {seconds.ToString(CultureInfo.InvariantCulture)}");
        }

        public long Long(JsonElement e, string field)
        {
            Expect(e, JsonValueKind.Number, field);
            return e.TryGetInt64(out long v) ? v : throw new CocoException($"{source}: field '{field}': expected an integer, found {e.GetRawText()}");
        }

        public double Double(JsonElement obj, string parent, string name) => obj.TryGetProperty(name, out var v)
            ? Double(v, parent + "." + name)
            : throw new CocoException($"{source}: field '{parent}.{name}' is missing (expected an eval score --json document)");

        // Numbers as written; "NaN"/"Infinity" strings as System.Text.Json's named literals.
        public double Double(JsonElement e, string field) => e.ValueKind == JsonValueKind.String
            && double.TryParse(String(e, field), NumberStyles.Float, CultureInfo.InvariantCulture, out double named)
            ? named
            : e.ValueKind == JsonValueKind.Number
                ? (e.TryGetDouble(out double value) ? value : throw new CocoException($"{source}: field '{field}': expected a number a double can hold, found {e.GetRawText()}"))
                : throw new CocoException($"{source}: field '{field}': expected a number, found {Name(e.ValueKind)}");
    }
}
