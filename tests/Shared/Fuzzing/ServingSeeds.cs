using System.Globalization;
using System.Text;
using Google.Protobuf;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Testing.Fuzzing;

/// <summary>
/// Valid request bodies of each protocol the server parses, as fuzzing seeds: TF Serving REST (row and columnar,
/// nested lists and b64, the named-input forms), KServe v2 (UINT8 flat and nested, BYTES) and gRPC
/// <c>PredictRequest</c> messages (tensor_content, int_val, DT_STRING). The images are tiny (an 8x6 pattern, the
/// 12x8 PNG/JPEG of <see cref="ImageSeeds"/>) so a mutated input parses in microseconds. Shared by the CsCheck
/// tests and the AFL harness (fuzz/RfcnPerf.Fuzz links this file).
/// </summary>
internal static class ServingSeeds
{
    private const int Width = 8;
    private const int Height = 6;

    /// <summary>Bodies of <c>POST /v1/models/NAME:predict</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> TfServing()
    {
        var png = B64("rgba8888.png");
        var jpg = B64("rgba8888.jpg");
        return Utf8(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            // What Python's json.dumps writes (", " and ": "): the scanner's whitespace path.
            ["row-nested.json"] = $"{{\"instances\": [{Nested(0, ", ")}]}}",

            // What our load generator's Utf8JsonWriter writes: the scanner's compact path.
            ["row-nested-compact.json"] = $"{{\"instances\":[{Nested(0, ",")},{Nested(1, ",")}]}}",
            ["row-b64.json"] = $"{{\"signature_name\": \"serving_default\", \"instances\": [{{\"b64\": \"{png}\"}}, {{\"b64\": \"{jpg}\"}}]}}",
            ["row-named.json"] = $"{{\"instances\": [{{\"inputs\": {Nested(2, ", ")}}}, {{\"inputs\": {{\"b64\": \"{png}\"}}}}], \"parameters\": {{\"note\": [1, {{\"x\": null}}]}}}}",
            ["columnar-nested.json"] = $"{{\"inputs\": [{Nested(3, ", ")}]}}",
            ["columnar-named.json"] = $"{{\"signature_name\": \"\", \"inputs\": {{\"inputs\": [{Nested(4, ",")}]}}}}",

            // "\/" as some encoders write it: the unescaping path of b64.
            ["columnar-b64-escaped.json"] = $"{{\"inputs\": {{\"b64\": \"{jpg.Replace("/", "\\/", StringComparison.Ordinal)}\"}}}}",
        });
    }

    /// <summary>Bodies of <c>POST /v2/models/NAME/infer</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> KServe()
    {
        var flat = string.Join(", ", Pixels(0).Select(b => b.ToString(CultureInfo.InvariantCulture)));
        return Utf8(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["uint8-flat.json"] = $"{{\"id\": \"req-1\", \"inputs\": [{{\"name\": \"inputs\", \"shape\": [1, {Height}, {Width}, 3], \"datatype\": \"UINT8\", \"data\": [{flat}]}}]}}",
            ["uint8-nested.json"] = $"{{\"inputs\": [{{\"name\": \"inputs\", \"datatype\": \"UINT8\", \"shape\": [{Height}, {Width}, 3], \"data\": {Nested(1, ",")}}}], \"outputs\": [{{\"name\": \"detection_boxes\"}}]}}",
            ["bytes-b64.json"] = $"{{\"inputs\": [{{\"name\": \"inputs\", \"shape\": [2], \"datatype\": \"BYTES\", \"parameters\": {{\"binary_data\": false}}, \"data\": [\"{B64("gray8.png")}\", \"{B64("gray8.jpg")}\"]}}]}}",
        });
    }

    /// <summary>Serialized <c>tensorflow.serving.PredictRequest</c> messages, as a gRPC client sends them.</summary>
    public static IReadOnlyDictionary<string, byte[]> GrpcPredict()
    {
        var content = Request(DataType.DtUint8, [1, Height, Width, 3]);
        content.Inputs["inputs"].TensorContent = ByteString.CopyFrom(Pixels(0));

        var intVal = Request(DataType.DtUint8, [Height, Width, 3]);
        intVal.Inputs["inputs"].IntVal.AddRange(Pixels(1).Select(b => (int)b));
        intVal.ModelSpec.SignatureName = "serving_default";

        var strings = Request(DataType.DtString, [2]);
        strings.Inputs["inputs"].StringVal.Add(ByteString.CopyFrom(ImageSeeds.All()["rgba8888.jpg"]));
        strings.Inputs["inputs"].StringVal.Add(ByteString.CopyFrom(ImageSeeds.All()["gray8.png"]));
        strings.ModelSpec.Version = 1;
        strings.OutputFilter.Add("detection_boxes");

        return new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["uint8-content.bin"] = content.ToByteArray(),
            ["uint8-int-val.bin"] = intVal.ToByteArray(),
            ["string-images.bin"] = strings.ToByteArray(),
        };
    }

    private static PredictRequest Request(DataType dtype, long[] shape)
    {
        var tensor = new TensorProto { Dtype = dtype, TensorShape = new TensorShapeProto() };
        tensor.TensorShape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dim { Size = d }));
        var request = new PredictRequest { ModelSpec = new ModelSpec { Name = "rfcn" } };
        request.Inputs["inputs"] = tensor;
        return request;
    }

    /// <summary>An 8x6 RGB pattern; <paramref name="variant"/> shifts it so the seeds differ.</summary>
    private static byte[] Pixels(int variant)
    {
        var rgb = new byte[Width * Height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(((i * 37) + (variant * 101)) % 256);
        }

        return rgb;
    }

    /// <summary>The pattern as a uint8 HxWx3 nested list, numbers separated by <paramref name="comma"/>.</summary>
    private static string Nested(int variant, string comma)
    {
        var rgb = Pixels(variant);
        var rows = Enumerable.Range(0, Height).Select(y => "[" + string.Join(comma, Enumerable.Range(0, Width).Select(x =>
        {
            var p = ((y * Width) + x) * 3;
            return string.Create(CultureInfo.InvariantCulture, $"[{rgb[p]}{comma}{rgb[p + 1]}{comma}{rgb[p + 2]}]");
        })) + "]");
        return "[" + string.Join(comma, rows) + "]";
    }

    private static string B64(string image) => Convert.ToBase64String(ImageSeeds.All()[image]);

    private static SortedDictionary<string, byte[]> Utf8(SortedDictionary<string, string> bodies) =>
        new(bodies.ToDictionary(b => b.Key, b => Encoding.UTF8.GetBytes(b.Value)), StringComparer.Ordinal);
}
