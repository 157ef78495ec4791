using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving;

/// <summary>
/// TensorFlow Serving's REST API (<c>/v1/models/...</c>): model status, metadata and <c>:predict</c> in the
/// row (<c>instances</c> -> <c>predictions</c>) and columnar (<c>inputs</c> -> <c>outputs</c>) formats.
/// </summary>
internal sealed class TfServingRest(ModelRegistry registry, ServingOptions options, ServingMetrics metrics)
{
    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var endpoint = path.EndsWith(":predict", StringComparison.Ordinal) ? "tfserving_predict"
            : path.EndsWith("/metadata", StringComparison.Ordinal) ? "tfserving_metadata"
            : path.Contains(':', StringComparison.Ordinal) ? "tfserving_other"
            : "tfserving_status";
        return RestExchange.HandleAsync(context, endpoint, metrics, ctx => DispatchAsync(ctx, ParsePath(path), path));
    }

    private Task DispatchAsync(HttpContext context, (string Name, long? Version, string Verb)? parsed, string path)
    {
        var method = context.Request.Method;
        if (parsed is not { } p)
        {
            throw ServingException.NotFound($"Malformed request: {method} {path}");
        }

        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);
        switch (p.Verb)
        {
            case "" when get:
                return StatusAsync(context, p.Name, p.Version);
            case "metadata" when get:
                return MetadataAsync(context, p.Name, p.Version);
            case "predict" when post:
                return PredictAsync(context, p.Name, p.Version);
            case "classify" or "regress" when post:
                registry.Get(p.Name, p.Version);
                throw ServingException.Invalid($"{p.Verb} is not supported: the model's signature \"{ServedSignature.Name}\" is a predict signature ({ServedSignature.MethodName})");
            default:
                throw ServingException.NotFound($"Malformed request: {method} {path}");
        }
    }

    /// <summary>
    /// Splits <c>/v1/models/NAME[/versions/V][/metadata | :VERB]</c>; null when the path has another shape.
    /// Verb is "" for the status URL.
    /// </summary>
    internal static (string Name, long? Version, string Verb)? ParsePath(string path)
    {
        const string prefix = "/v1/models/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path[prefix.Length..].Split('/');
        var verb = string.Empty;
        var last = parts[^1];
        var colon = last.LastIndexOf(':');
        if (colon >= 0)
        {
            verb = last[(colon + 1)..];
            parts[^1] = last[..colon];
        }
        else if (parts.Length > 1 && last == "metadata")
        {
            verb = "metadata";
            parts = parts[..^1];
        }

        if (parts.Length == 1 && parts[0].Length > 0)
        {
            return (parts[0], null, verb);
        }

        if (parts.Length == 3 && parts[0].Length > 0 && parts[1] == "versions")
        {
            return (parts[0], ModelRegistry.ParseVersion(parts[2]), verb);
        }

        if (parts.Length == 3 && parts[0].Length > 0 && parts[1] == "labels")
        {
            throw ServingException.NotFound($"Servable not found for request: Label({parts[0]}, {parts[2]}) (this server has no version labels)");
        }

        return null;
    }

    private Task StatusAsync(HttpContext context, string name, long? version)
    {
        registry.Get(name, version);
        return RestExchange.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("model_version_status");
            w.WriteStartObject();
            w.WriteString("version", ServedModel.Version.ToString(CultureInfo.InvariantCulture));
            w.WriteString("state", "AVAILABLE");
            w.WriteStartObject("status");
            w.WriteString("error_code", "OK");
            w.WriteString("error_message", string.Empty);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private Task MetadataAsync(HttpContext context, string name, long? version)
    {
        var model = registry.Get(name, version);
        return RestExchange.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("model_spec");
            w.WriteString("name", model.Name);
            w.WriteString("signature_name", string.Empty);
            w.WriteString("version", ServedModel.Version.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartObject("metadata");
            w.WriteStartObject("signature_def");
            w.WriteStartObject("signature_def");
            w.WriteStartObject(ServedSignature.Name);
            w.WriteStartObject("inputs");
            WriteTensorInfo(w, ServedSignature.Input, "DT_UINT8", ServedSignature.InputShape, "image_tensor:0");
            w.WriteEndObject();
            w.WriteStartObject("outputs");
            foreach (var (output, shape) in ServedSignature.Outputs)
            {
                WriteTensorInfo(w, output, "DT_FLOAT", shape, output + ":0");
            }

            w.WriteEndObject();
            w.WriteString("method_name", ServedSignature.MethodName);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteTensorInfo(Utf8JsonWriter w, string key, string dtype, long[] shape, string tensorName)
    {
        w.WriteStartObject(key);
        w.WriteString("dtype", dtype);
        w.WriteStartObject("tensor_shape");
        w.WriteStartArray("dim");
        foreach (var d in shape)
        {
            w.WriteStartObject();
            w.WriteString("size", d.ToString(CultureInfo.InvariantCulture));
            w.WriteString("name", string.Empty);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("unknown_rank", false);
        w.WriteEndObject();
        w.WriteString("name", tensorName);
        w.WriteEndObject();
    }

    private async Task PredictAsync(HttpContext context, string name, long? version)
    {
        var model = registry.Get(name, version);
        var (images, row) = await RestExchange.ParseBodyAsync(context, options.MaxBodyBytes, body => ParsePredictBody(body, options.MaxPixelsPerImage, options.MaxQueue)).ConfigureAwait(false);

        var tensors = await model.DetectAsync(images).ConfigureAwait(false);

        await RestExchange.WriteJsonAsync(context, w => (row ? (Action<Utf8JsonWriter, DetectionTensors>)WriteRows : WriteColumns)(w, tensors)).ConfigureAwait(false);
    }

    /// <summary>Parses a <c>:predict</c> body; returns its images and whether it used the row format.</summary>
    internal static (List<DecodedImage> Images, bool Row) ParsePredictBody(ReadOnlySpan<byte> body, long maxPixels, int maxImages)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        var offset = 0;
        if (ImageJson.Read(ref reader) != JsonTokenType.StartObject)
        {
            throw ServingException.Invalid($"JSON Parse error: the request must be a JSON object, found {ImageJson.Describe(reader.TokenType)}");
        }

        List<DecodedImage>? images = null;
        var row = false;
        string? signature = null;
        try
        {
            while (ImageJson.Read(ref reader) != JsonTokenType.EndObject)
            {
                var key = ImageJson.GetString(ref reader);
                ImageJson.Read(ref reader);
                switch (key)
                {
                    case "signature_name":
                        signature = reader.TokenType == JsonTokenType.String
                            ? ImageJson.GetString(ref reader)
                            : throw ServingException.Invalid($"'signature_name' must be a string, found {ImageJson.Describe(reader.TokenType)}");
                        break;
                    case "instances" or "inputs":
                        if (images is not null)
                        {
                            throw ServingException.Invalid("Only one of 'instances' or 'inputs' may be given (row or columnar format)");
                        }

                        row = key == "instances";
                        images = ImageJson.ReadImageList(ref reader, body, ref offset, maxPixels, maxImages, ServedSignature.Input, key);
                        break;
                    default:
                        ImageJson.Skip(ref reader);
                        break;
                }
            }

            ServedSignature.Check(signature);
            return images is not null
                ? (images, row)
                : throw ServingException.Invalid("Missing 'instances' or 'inputs' key in the request");
        }
        catch
        {
            if (images is not null)
            {
                ImageJson.Dispose(images);
            }

            throw;
        }
    }

    private static void WriteRows(Utf8JsonWriter w, DetectionTensors t)
    {
        w.WriteStartObject();
        w.WriteStartArray("predictions");
        for (var i = 0; i < t.Images; i++)
        {
            w.WriteStartObject();
            w.WriteStartArray(DetectionTensors.Boxes);
            for (var j = 0; j < t.Max; j++)
            {
                RestExchange.WriteFloats(w, t.BoxData.AsSpan(((i * t.Max) + j) * 4, 4));
            }

            w.WriteEndArray();
            w.WritePropertyName(DetectionTensors.Classes);
            RestExchange.WriteFloats(w, t.ClassData.AsSpan(i * t.Max, t.Max));
            w.WritePropertyName(DetectionTensors.Scores);
            RestExchange.WriteFloats(w, t.ScoreData.AsSpan(i * t.Max, t.Max));
            w.WriteNumber(DetectionTensors.Count, t.CountData[i]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter w, DetectionTensors t)
    {
        w.WriteStartObject();
        w.WriteStartObject("outputs");
        w.WriteStartArray(DetectionTensors.Boxes);
        for (var i = 0; i < t.Images; i++)
        {
            w.WriteStartArray();
            for (var j = 0; j < t.Max; j++)
            {
                RestExchange.WriteFloats(w, t.BoxData.AsSpan(((i * t.Max) + j) * 4, 4));
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        foreach (var (name, data) in new[] { (DetectionTensors.Classes, t.ClassData), (DetectionTensors.Scores, t.ScoreData) })
        {
            w.WriteStartArray(name);
            for (var i = 0; i < t.Images; i++)
            {
                RestExchange.WriteFloats(w, data.AsSpan(i * t.Max, t.Max));
            }

            w.WriteEndArray();
        }

        w.WritePropertyName(DetectionTensors.Count);
        RestExchange.WriteFloats(w, t.CountData);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
