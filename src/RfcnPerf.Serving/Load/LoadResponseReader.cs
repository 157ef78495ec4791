using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Reads the detections back out of a server's answer, the inverse of what <see cref="LoadRequestBuilder"/> sends
/// and <c>rfcnperf serve</c> writes: TF Serving REST (row format <c>predictions</c> or columnar <c>outputs</c>), TF
/// Serving gRPC <see cref="PredictResponse"/> (DT_FLOAT in tensor_content or float_val) and KServe v2 (<c>outputs</c>
/// with name, shape, datatype and flat or nested data). Floats are parsed from the JSON text as floats, so the
/// shortest round-trip text the server writes comes back as the same bits. Anything that is not the TF Object
/// Detection API's four outputs in consistent shapes is a <see cref="Core.RfcnPerfException"/> saying what was
/// found: a malformed answer must never read as an image without detections.
/// </summary>
internal static class LoadResponseReader
{
    /// <summary>An error message quoted from a response is cut here, so a failure stays one line.</summary>
    private const int MaxQuotedLength = 300;

    /// <summary>The detections of a 200 response body (REST) of <paramref name="protocol"/>.</summary>
    public static DetectionTensors Json(LoadProtocol protocol, byte[] body) => protocol switch
    {
        LoadProtocol.TfServingRest => TfServingRest(body),
        LoadProtocol.KServe => KServe(body),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "gRPC answers are messages, not JSON"),
    };

    /// <summary>A TF Serving REST <c>:predict</c> answer, row (<c>predictions</c>) or columnar (<c>outputs</c>).</summary>
    public static DetectionTensors TfServingRest(byte[] body)
    {
        const string source = "tfserving-rest response";
        using var doc = Parse(body, source);
        var root = doc.RootElement;
        if (root.TryGetProperty("predictions", out var predictions))
        {
            return Rows(predictions, source);
        }

        if (root.TryGetProperty("outputs", out var outputs))
        {
            if (outputs.ValueKind != JsonValueKind.Object)
            {
                throw new Core.RfcnPerfException($"{source}: 'outputs' is {Describe(outputs)}; expected an object of the named detection outputs");
            }

            return Columns(source, name => outputs.TryGetProperty(name, out var o) ? Nested(o, $"{source}: outputs.{name}") : null);
        }

        throw new Core.RfcnPerfException($"{source}: no 'predictions' (row format) or 'outputs' (columnar) key; keys: {Keys(root)}");
    }

    /// <summary>A KServe v2 <c>/infer</c> answer.</summary>
    public static DetectionTensors KServe(byte[] body)
    {
        const string source = "kserve response";
        using var doc = Parse(body, source);
        if (!doc.RootElement.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
        {
            throw new Core.RfcnPerfException($"{source}: no 'outputs' list; keys: {Keys(doc.RootElement)}");
        }

        var tensors = new Dictionary<string, (float[] Data, long[] Shape)>(StringComparer.Ordinal);
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new Core.RfcnPerfException($"{source}: an output is {Describe(output)} without a 'name' string; expected {{\"name\", \"datatype\", \"shape\", \"data\"}}");
            }

            var where = $"{source}: output '{name.GetString()}'";
            if (!output.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array)
            {
                throw new Core.RfcnPerfException($"{where} has no 'shape' list");
            }

            var shape = shapeJson.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) && v >= 0
                ? v
                : throw new Core.RfcnPerfException($"{where}: 'shape' holds {Describe(d)}; expected non-negative integers")).ToArray();
            if (!output.TryGetProperty("data", out var dataJson) || dataJson.ValueKind != JsonValueKind.Array)
            {
                throw new Core.RfcnPerfException($"{where} has no 'data' list");
            }

            // v2 allows the data flat or nested: every leaf in order, counted against the declared shape.
            var data = new List<float>();
            Leaves(dataJson, data, where);
            tensors[name.GetString()!] = (Checked(data.ToArray(), shape, where), shape);
        }

        return Columns(source, name => tensors.TryGetValue(name, out var t) ? t : null);
    }

    /// <summary>A TF Serving gRPC <c>Predict</c> answer.</summary>
    public static DetectionTensors Grpc(PredictResponse response)
    {
        const string source = "tfserving-grpc response";
        return Columns(source, name =>
        {
            if (!response.Outputs.TryGetValue(name, out var tensor))
            {
                return null;
            }

            var where = $"{source}: output '{name}'";
            if (tensor.Dtype != DataType.DtFloat)
            {
                throw new Core.RfcnPerfException($"{where} is {tensor.Dtype}; expected DT_FLOAT");
            }

            var shape = tensor.TensorShape?.Dim.Select(d => d.Size).ToArray() ?? [];
            float[] data;
            if (!tensor.TensorContent.IsEmpty)
            {
                // tensor_content is the little-endian bytes of the values, as TF Serving sends them.
                var bytes = tensor.TensorContent.Span;
                data = bytes.Length % sizeof(float) == 0
                    ? MemoryMarshal.Cast<byte, float>(bytes).ToArray()
                    : throw new Core.RfcnPerfException($"{where}: tensor_content has {bytes.Length} bytes, not a whole number of floats");
            }
            else
            {
                data = [.. tensor.FloatVal];
            }

            return (Checked(data, shape, where), shape);
        });
    }

    /// <summary>
    /// The reason in a refused REST answer: the <c>error</c> string TF Serving and KServe put in the body (first line,
    /// cut to a few hundred characters), else the start of the body as text.
    /// </summary>
    public static string ErrorMessage(byte[] body)
    {
        var text = (Utf8.IsValid(body) ? ErrorString(body) : null) ?? System.Text.Encoding.UTF8.GetString(body);
        text = text.Split('\n', 2)[0].Trim();
        return text.Length == 0 ? "(empty body)" : text.Length > MaxQuotedLength ? text[..MaxQuotedLength] + "..." : text;
    }

    /// <summary>The <c>error</c> string of a JSON object body (valid UTF-8), else null.</summary>
    private static string? ErrorString(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonDocument Parse(byte[] body, string source)
    {
        // The JSON reader checks syntax, not the UTF-8 inside strings: a name or message read later would throw there.
        if (!Utf8.IsValid(body))
        {
            throw new Core.RfcnPerfException($"{source}: not valid UTF-8 ({body.Length} bytes)");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new Core.RfcnPerfException($"{source}: not valid JSON ({body.Length} bytes): {ex.Message.Split('\n', 2)[0]}");
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var what = Describe(doc.RootElement);
            doc.Dispose();
            throw new Core.RfcnPerfException($"{source}: the body is {what}; expected a JSON object");
        }

        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            var message = error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText();
            doc.Dispose();
            throw new Core.RfcnPerfException($"{source}: the server answered an error: {message.Split('\n', 2)[0]}");
        }

        return doc;
    }

    /// <summary>Row format: one object per image with its own outputs; rows of different lengths are padded to the longest, as the columnar form is.</summary>
    private static DetectionTensors Rows(JsonElement predictions, string source)
    {
        if (predictions.ValueKind != JsonValueKind.Array)
        {
            throw new Core.RfcnPerfException($"{source}: 'predictions' is {Describe(predictions)}; expected a list with one object per image");
        }

        var rows = new List<(float[] Boxes, float[] Classes, float[] Scores, float Count)>();
        foreach (var p in predictions.EnumerateArray())
        {
            var where = $"{source}: predictions[{rows.Count}]";
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new Core.RfcnPerfException($"{where} is {Describe(p)}; expected an object of the named detection outputs");
            }

            (float[] Data, long[] Shape) Output(string name) => p.TryGetProperty(name, out var o)
                ? Nested(o, $"{where}.{name}")
                : throw new Core.RfcnPerfException($"{where} has no '{name}'; keys: {Keys(p)}");

            var classes = Output(DetectionTensors.Classes);
            var scores = Output(DetectionTensors.Scores);
            var boxes = Output(DetectionTensors.Boxes);
            var count = Output(DetectionTensors.Count);
            var m = classes.Data.Length;
            if (classes.Shape.Length != 1 || scores.Shape.Length != 1 || scores.Data.Length != m || boxes.Data.Length != m * 4 || (m > 0 && !boxes.Shape.SequenceEqual(new long[] { m, 4 })))
            {
                throw new Core.RfcnPerfException($"{where}: shapes {Dims(classes.Shape)}, {Dims(scores.Shape)}, {Dims(boxes.Shape)} for classes, scores and boxes; expected [M], [M], [M, 4]");
            }

            if (count.Shape.Length != 0)
            {
                throw new Core.RfcnPerfException($"{where}.{DetectionTensors.Count} has shape {Dims(count.Shape)}; expected a number");
            }

            rows.Add((boxes.Data, classes.Data, scores.Data, count.Data[0]));
        }

        var n = rows.Count;
        var max = rows.Count == 0 ? 0 : rows.Max(r => r.Classes.Length);
        float[] allBoxes = new float[n * max * 4], allClasses = new float[n * max], allScores = new float[n * max], counts = new float[n];
        for (var i = 0; i < n; i++)
        {
            rows[i].Boxes.CopyTo(allBoxes, i * max * 4);
            rows[i].Classes.CopyTo(allClasses, i * max);
            rows[i].Scores.CopyTo(allScores, i * max);
            counts[i] = rows[i].Count;
        }

        return DetectionTensors.FromOutputs(n, max, allBoxes, allClasses, allScores, counts, source);
    }

    /// <summary>Columnar outputs (TF Serving columnar, gRPC, KServe): [N, M, 4] boxes, [N, M] classes and scores, [N] counts.</summary>
    private static DetectionTensors Columns(string source, Func<string, (float[] Data, long[] Shape)?> output)
    {
        (float[] Data, long[] Shape) Get(string name) =>
            output(name) ?? throw new Core.RfcnPerfException($"{source}: no '{name}' output; expected {string.Join(", ", DetectionTensors.OutputNames)}");

        var counts = Get(DetectionTensors.Count);
        var classes = Get(DetectionTensors.Classes);
        var scores = Get(DetectionTensors.Scores);
        var boxes = Get(DetectionTensors.Boxes);
        var n = counts.Data.Length;
        if (counts.Shape.Length != 1 || classes.Shape.Length != 2 || classes.Shape[0] != n || classes.Shape[1] > int.MaxValue || !scores.Shape.SequenceEqual(classes.Shape))
        {
            throw new Core.RfcnPerfException($"{source}: shapes {Dims(counts.Shape)}, {Dims(classes.Shape)}, {Dims(scores.Shape)} for counts, classes and scores; expected [N], [N, M], [N, M]");
        }

        var max = (int)classes.Shape[1];
        if (max > 0 && !boxes.Shape.SequenceEqual(new long[] { n, max, 4 }))
        {
            throw new Core.RfcnPerfException($"{source}: '{DetectionTensors.Boxes}' has shape {Dims(boxes.Shape)}; expected [{n}, {max}, 4]");
        }

        return DetectionTensors.FromOutputs(n, max, boxes.Data, classes.Data, scores.Data, counts.Data, source);
    }

    /// <summary>A JSON number or rectangular nested list of numbers as flat data and its shape (a number: shape []).</summary>
    private static (float[] Data, long[] Shape) Nested(JsonElement value, string where)
    {
        var shape = new List<long>();
        for (var probe = value; probe.ValueKind == JsonValueKind.Array; probe = probe[0])
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0)
            {
                break;
            }
        }

        var data = new List<float>();
        Walk(value, 0);
        return (data.ToArray(), shape.ToArray());

        void Walk(JsonElement e, int depth)
        {
            if (depth == shape.Count)
            {
                data.Add(Number(e, where));
                return;
            }

            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != shape[depth])
            {
                throw new Core.RfcnPerfException($"{where}: not a rectangular list of numbers (at depth {depth}: {Describe(e)}, where the first has {shape[depth]} entries)");
            }

            foreach (var child in e.EnumerateArray())
            {
                Walk(child, depth + 1);
            }
        }
    }

    private static void Leaves(JsonElement e, List<float> data, string where)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            data.Add(Number(e, where));
            return;
        }

        foreach (var child in e.EnumerateArray())
        {
            Leaves(child, data, where);
        }
    }

    private static float Number(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetSingle(out var v) && float.IsFinite(v)
            ? v
            : throw new Core.RfcnPerfException($"{where}: {Describe(e)} where a finite float was expected");

    private static float[] Checked(float[] data, long[] shape, string where)
    {
        // In doubles: a hostile shape's product must not wrap around to the data's length.
        var expected = shape.Aggregate(1.0, (a, d) => a * d);
        return data.Length == expected
            ? data
            : throw new Core.RfcnPerfException(string.Create(CultureInfo.InvariantCulture, $"{where} has {data.Length} values but shape {Dims(shape)} needs {expected:0}"));
    }

    private static string Dims(long[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Keys(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object ? string.Join(", ", obj.EnumerateObject().Select(p => p.Name).DefaultIfEmpty("none")) : Describe(obj);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => $"a number ({Cut(e.GetRawText())})",
        JsonValueKind.String => $"a string ({Cut(e.GetRawText())})",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
