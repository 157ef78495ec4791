using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// Builds request bodies from real image files, once, before the clock starts: what the recipe's client sends
/// (<c>{"instances": [HxWx3 nested list]}</c>) or the b64 form, as TF Serving REST, KServe v2 JSON or a
/// gRPC <see cref="PredictRequest"/>.
/// </summary>
internal static class LoadRequestBuilder
{
    /// <summary>A JSON body for REST protocols.</summary>
    public static byte[] Json(LoadProtocol protocol, LoadPayload payload, IReadOnlyList<string> files)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (protocol == LoadProtocol.TfServingRest)
            {
                w.WriteStartArray("instances");
                foreach (var file in files)
                {
                    if (payload == LoadPayload.B64)
                    {
                        w.WriteStartObject();
                        w.WriteBase64String("b64", File.ReadAllBytes(file));
                        w.WriteEndObject();
                    }
                    else
                    {
                        using var image = ImageDecoder.Decode(file);
                        WriteNestedList(w, image.ToRgb(), image.Width, image.Height);
                    }
                }

                w.WriteEndArray();
            }
            else
            {
                w.WriteStartArray("inputs");
                w.WriteStartObject();
                w.WriteString("name", ServedSignature.Input);
                if (payload == LoadPayload.B64)
                {
                    w.WriteString("datatype", "BYTES");
                    w.WriteStartArray("shape");
                    w.WriteNumberValue(files.Count);
                    w.WriteEndArray();
                    w.WriteStartArray("data");
                    foreach (var file in files)
                    {
                        w.WriteBase64StringValue(File.ReadAllBytes(file));
                    }

                    w.WriteEndArray();
                }
                else
                {
                    var images = files.Select(ImageDecoder.Decode).ToArray();
                    try
                    {
                        RequireSameSize(images);
                        w.WriteString("datatype", "UINT8");
                        w.WriteStartArray("shape");
                        foreach (var d in new long[] { images.Length, images[0].Height, images[0].Width, 3 })
                        {
                            w.WriteNumberValue(d);
                        }

                        w.WriteEndArray();
                        w.WriteStartArray("data");
                        foreach (var image in images)
                        {
                            foreach (var b in image.ToRgb())
                            {
                                w.WriteNumberValue(b);
                            }
                        }

                        w.WriteEndArray();
                    }
                    finally
                    {
                        ImageJson.Dispose(images);
                    }
                }

                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A gRPC Predict request for <paramref name="model"/>.</summary>
    public static PredictRequest Grpc(string model, LoadPayload payload, IReadOnlyList<string> files)
    {
        var request = new PredictRequest { ModelSpec = new ModelSpec { Name = model, SignatureName = ServedSignature.Name } };
        var tensor = new TensorProto { TensorShape = new TensorShapeProto() };
        if (payload == LoadPayload.B64)
        {
            tensor.Dtype = DataType.DtString;
            tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = files.Count });
            foreach (var file in files)
            {
                tensor.StringVal.Add(ByteString.CopyFrom(File.ReadAllBytes(file)));
            }
        }
        else
        {
            var images = files.Select(ImageDecoder.Decode).ToArray();
            try
            {
                RequireSameSize(images);
                tensor.Dtype = DataType.DtUint8;
                foreach (var d in new long[] { images.Length, images[0].Height, images[0].Width, 3 })
                {
                    tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
                }

                tensor.TensorContent = ByteString.CopyFrom(images.SelectMany(i => i.ToRgb()).ToArray());
            }
            finally
            {
                ImageJson.Dispose(images);
            }
        }

        request.Inputs[ServedSignature.Input] = tensor;
        return request;
    }

    /// <summary>Writes packed RGB as <c>[[[r,g,b],...],...]</c>.</summary>
    public static void WriteNestedList(Utf8JsonWriter w, ReadOnlySpan<byte> rgb, int width, int height)
    {
        w.WriteStartArray();
        for (var y = 0; y < height; y++)
        {
            w.WriteStartArray();
            for (var x = 0; x < width; x++)
            {
                var p = ((y * width) + x) * 3;
                w.WriteStartArray();
                w.WriteNumberValue(rgb[p]);
                w.WriteNumberValue(rgb[p + 1]);
                w.WriteNumberValue(rgb[p + 2]);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void RequireSameSize(DecodedImage[] images)
    {
        foreach (var image in images)
        {
            if (image.Width != images[0].Width || image.Height != images[0].Height)
            {
                throw new Core.RfcnPerfException(
                    $"a raw (uint8 tensor) batch needs images of one size: {images[0].Path} is {images[0].Width}x{images[0].Height}, " +
                    $"{image.Path} is {image.Width}x{image.Height}; use --payload b64 or --batch 1 (" + string.Create(CultureInfo.InvariantCulture, $"{images.Length} images") + ")");
            }
        }
    }
}
