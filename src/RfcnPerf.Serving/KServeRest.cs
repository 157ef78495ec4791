using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving;

/// <summary>
/// The KServe / Open Inference Protocol v2 REST API: health, model metadata and readiness, and
/// <c>/infer</c> with one input <c>inputs</c>, either <c>UINT8</c> of shape [N, H, W, 3] (data flat or
/// nested) or <c>BYTES</c> of shape [N] holding base64 JPEG/PNG strings.
/// </summary>
internal sealed class KServeRest(ModelRegistry registry, ServingOptions options, ServingMetrics metrics)
{
    public Task LiveAsync(HttpContext context) => RestExchange.HandleAsync(context, "kserve_live", metrics, ctx =>
        RestExchange.WriteJsonAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("live", true);
            w.WriteEndObject();
        }));

    public Task ReadyAsync(HttpContext context) => RestExchange.HandleAsync(context, "kserve_ready", metrics, ctx =>
        RestExchange.WriteJsonAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ready", registry.Models.Count > 0);
            w.WriteEndObject();
        }));

    public Task ModelReadyAsync(HttpContext context, string name, string? version) => RestExchange.HandleAsync(context, "kserve_model_ready", metrics, ctx =>
    {
        var model = registry.Get(name, version is null ? null : ModelRegistry.ParseVersion(version));
        return RestExchange.WriteJsonAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteBoolean("ready", true);
            w.WriteEndObject();
        });
    });

    public Task MetadataAsync(HttpContext context, string name, string? version) => RestExchange.HandleAsync(context, "kserve_metadata", metrics, ctx =>
    {
        var model = registry.Get(name, version is null ? null : ModelRegistry.ParseVersion(version));
        return RestExchange.WriteJsonAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteStartArray("versions");
            w.WriteStringValue(ServedModel.Version.ToString(CultureInfo.InvariantCulture));
            w.WriteEndArray();
            w.WriteString("platform", "onnxruntime_onnx");
            w.WriteStartArray("inputs");
            WriteTensorMetadata(w, ServedSignature.Input, "UINT8", ServedSignature.InputShape);
            w.WriteEndArray();
            w.WriteStartArray("outputs");
            foreach (var (output, shape) in ServedSignature.Outputs)
            {
                WriteTensorMetadata(w, output, "FP32", shape);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    });

    public Task InferAsync(HttpContext context, string name, string? version) => RestExchange.HandleAsync(context, "kserve_infer", metrics, async ctx =>
    {
        var model = registry.Get(name, version is null ? null : ModelRegistry.ParseVersion(version));
        var (images, id) = await RestExchange.ParseBodyAsync(ctx, options.MaxBodyBytes, body => ParseInferBody(body, options.MaxPixelsPerImage, options.MaxQueue)).ConfigureAwait(false);

        var tensors = await model.DetectAsync(images).ConfigureAwait(false);

        await RestExchange.WriteJsonAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("model_name", model.Name);
            w.WriteString("model_version", ServedModel.Version.ToString(CultureInfo.InvariantCulture));
            if (id is not null)
            {
                w.WriteString("id", id);
            }

            w.WriteStartArray("outputs");
            foreach (var output in DetectionTensors.OutputNames)
            {
                var (data, shape) = tensors.Output(output);
                w.WriteStartObject();
                w.WriteString("name", output);
                w.WriteString("datatype", "FP32");
                w.WriteStartArray("shape");
                foreach (var d in shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                w.WritePropertyName("data");
                RestExchange.WriteFloats(w, data);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    });

    /// <summary>Parses an <c>/infer</c> body into its images and request id.</summary>
    internal static (List<DecodedImage> Images, string? Id) ParseInferBody(ReadOnlySpan<byte> body, long maxPixels, int maxImages)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        if (ImageJson.Read(ref reader) != JsonTokenType.StartObject)
        {
            throw ServingException.Invalid($"JSON Parse error: the request must be a JSON object, found {ImageJson.Describe(reader.TokenType)}");
        }

        string? id = null;
        InputTensor? input = null;
        while (ImageJson.Read(ref reader) != JsonTokenType.EndObject)
        {
            var key = ImageJson.GetString(ref reader);
            ImageJson.Read(ref reader);
            if (key == "id" && reader.TokenType == JsonTokenType.String)
            {
                id = ImageJson.GetString(ref reader);
            }
            else if (key == "inputs")
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw ServingException.Invalid($"'inputs' must be a list of tensors, found {ImageJson.Describe(reader.TokenType)}");
                }

                while (ImageJson.Read(ref reader) != JsonTokenType.EndArray)
                {
                    if (input is not null)
                    {
                        throw ServingException.Invalid($"the model has one input ('{ServedSignature.Input}') but the request has more");
                    }

                    input = ReadInput(ref reader);
                }
            }
            else
            {
                ImageJson.Skip(ref reader);
            }
        }

        if (input is null)
        {
            throw ServingException.Invalid($"the request has no input tensor; expected inputs: [{{\"name\": \"{ServedSignature.Input}\", ...}}]");
        }

        return (input.ToImages(maxPixels, maxImages), id);
    }

    private static InputTensor ReadInput(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ServingException.Invalid($"an input tensor must be an object, found {ImageJson.Describe(reader.TokenType)}");
        }

        var tensor = new InputTensor();
        while (ImageJson.Read(ref reader) != JsonTokenType.EndObject)
        {
            var key = ImageJson.GetString(ref reader);
            ImageJson.Read(ref reader);
            switch (key)
            {
                case "name":
                    tensor.Name = reader.TokenType == JsonTokenType.String ? ImageJson.GetString(ref reader) : null;
                    break;
                case "datatype":
                    tensor.Datatype = reader.TokenType == JsonTokenType.String ? ImageJson.GetString(ref reader) : null;
                    break;
                case "shape":
                    tensor.Shape = ReadShape(ref reader);
                    break;
                case "data":
                    tensor.ReadData(ref reader);
                    break;
                default:
                    ImageJson.Skip(ref reader);
                    break;
            }
        }

        return tensor;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ServingException.Invalid($"'shape' must be a list of integers, found {ImageJson.Describe(reader.TokenType)}");
        }

        var dims = new List<long>();
        while (ImageJson.Read(ref reader) != JsonTokenType.EndArray)
        {
            dims.Add(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var d) && d >= 0
                ? d
                : throw ServingException.Invalid("'shape' must be a list of non-negative integers"));
        }

        return dims.ToArray();
    }

    private static void WriteTensorMetadata(Utf8JsonWriter w, string name, string datatype, long[] shape)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("datatype", datatype);
        w.WriteStartArray("shape");
        foreach (var d in shape)
        {
            w.WriteNumberValue(d);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One v2 input tensor as read; data is checked against name, datatype and shape once all are known.</summary>
    private sealed class InputTensor
    {
        private readonly ArrayBufferWriter<byte> bytes = new();
        private readonly List<string> strings = [];

        public string? Name { get; set; }

        public string? Datatype { get; set; }

        public long[]? Shape { get; set; }

        public void ReadData(ref Utf8JsonReader reader)
        {
            // Flat or nested: every leaf is taken in order (numbers for UINT8, strings for BYTES).
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw ServingException.Invalid($"'data' must be a list, found {ImageJson.Describe(reader.TokenType)}");
            }

            var depth = reader.CurrentDepth;
            while (ImageJson.Read(ref reader) != JsonTokenType.EndArray || reader.CurrentDepth > depth)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.Number:
                        if (!reader.TryGetByte(out var b))
                        {
                            throw ServingException.Invalid($"'data'[{bytes.WrittenCount}] is not a uint8 (0..255 integer)");
                        }

                        bytes.GetSpan(1)[0] = b;
                        bytes.Advance(1);
                        break;
                    case JsonTokenType.String:
                        strings.Add(ImageJson.GetString(ref reader));
                        break;
                    case JsonTokenType.StartArray or JsonTokenType.EndArray:
                        break;
                    default:
                        throw ServingException.Invalid($"'data' holds {ImageJson.Describe(reader.TokenType)}; expected uint8 numbers (UINT8) or base64 strings (BYTES)");
                }
            }
        }

        public List<DecodedImage> ToImages(long maxPixels, int maxImages)
        {
            if (Name != ServedSignature.Input)
            {
                throw ServingException.Invalid($"unknown input '{Name}'; the model's input is '{ServedSignature.Input}'");
            }

            var shape = Shape ?? throw ServingException.Invalid($"input '{Name}' has no 'shape'");
            var images = new List<DecodedImage>();
            try
            {
                switch (Datatype)
                {
                    case "UINT8":
                        var pixels = PixelShape.Check(shape, maxPixels, maxImages, $"input '{Name}'");
                        if (bytes.WrittenCount != pixels.TotalBytes || strings.Count > 0)
                        {
                            throw ServingException.Invalid($"input '{Name}' has {bytes.WrittenCount + strings.Count} values but shape {PixelShape.Format(shape)} needs {pixels.TotalBytes}");
                        }

                        return pixels.Split(bytes.WrittenSpan);
                    case "BYTES":
                        if (shape.Length != 1 || shape[0] != strings.Count || bytes.WrittenCount > 0 || strings.Count == 0 || strings.Count > maxImages)
                        {
                            throw ServingException.Invalid($"input '{Name}' (BYTES) has {strings.Count} strings and shape [{string.Join(", ", shape)}]; expected shape [N] with N = 1..{maxImages} base64 images");
                        }

                        for (var i = 0; i < strings.Count; i++)
                        {
                            images.Add(ImageJson.DecodeBase64(System.Text.Encoding.ASCII.GetBytes(strings[i]), maxPixels, $"inputs[{i}]"));
                        }

                        return images;
                    default:
                        throw ServingException.Invalid($"input '{Name}' has datatype '{Datatype}'; expected UINT8 ([N, H, W, 3] pixels) or BYTES (base64 JPEG/PNG)");
                }
            }
            catch
            {
                ImageJson.Dispose(images);
                throw;
            }
        }
    }
}
