using System.Text.Json;
using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Serving;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Bench;

/// <summary>
/// The server's request parsing for one 640x480 image: the recipe client's uint8 nested-list JSON
/// (<c>{"instances": [[[[r,g,b],...],...]]}</c>, about 3.3 MB; goal 500 MB/s, i.e. at most about 6.6 ms) against the
/// b64 JPEG form (base64 + JPEG decode), with the general JSON reader's path as the baseline. Pixels are
/// deterministic noise (worst case for the digit parser: one to three digits per channel, as in photographs).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CocoEvalConfig))]
public class ServingParseBenchmarks
{
    private const int Width = 640;
    private const int Height = 480;
    private byte[] nestedList = [];
    private byte[] b64 = [];

    /// <summary>Bytes of the nested-list body (for MB/s: bytes / mean time).</summary>
    public long NestedListBytes => nestedList.LongLength;

    [GlobalSetup]
    public void Setup()
    {
        var rgb = new byte[Width * Height * 3];
        new Random(7).NextBytes(rgb);
        using (var stream = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteStartArray("instances");
                LoadRequestBuilder.WriteNestedList(w, rgb, Width, Height);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            nestedList = stream.ToArray();
        }

        var jpeg = Path.Combine(Path.GetTempPath(), "rfcnperf-parse-bench.jpg");
        using (var bitmap = new SkiaSharp.SKBitmap(Width, Height))
        {
            for (var i = 0; i < Width * Height; i++)
            {
                bitmap.SetPixel(i % Width, i / Width, new SkiaSharp.SKColor(rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]));
            }

            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(jpeg, data.ToArray());
        }

        b64 = LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, [jpeg]);
        Console.WriteLine($"// nested-list body {nestedList.Length} bytes, b64 body {b64.Length} bytes");
    }

    /// <summary>The general path (Utf8JsonReader, token by token): what every nested list took before the scanner.</summary>
    [Benchmark(Baseline = true)]
    public int NestedListReader()
    {
        var reader = new Utf8JsonReader(nestedList);
        while (reader.TokenType != JsonTokenType.StartArray || reader.CurrentDepth < 2)
        {
            reader.Read();
        }

        using var image = ImageJson.ReadNestedListWithReader(ref reader, long.MaxValue, "instances[0]");
        return image.Width;
    }

    /// <summary>The request as the server parses it: the byte scanner straight into the pooled RGB buffer.</summary>
    [Benchmark]
    public int NestedList()
    {
        var (images, _) = TfServingRest.ParsePredictBody(nestedList, long.MaxValue, 16);
        var width = images[0].Width;
        ImageJson.Dispose(images);
        return width;
    }

    /// <summary>Base64 then JPEG decode of the same image.</summary>
    [Benchmark]
    public int B64Jpeg()
    {
        var (images, _) = TfServingRest.ParsePredictBody(b64, long.MaxValue, 16);
        var width = images[0].Width;
        ImageJson.Dispose(images);
        return width;
    }
}
