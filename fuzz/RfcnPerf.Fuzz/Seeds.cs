using RfcnPerf.Onnx;
using RfcnPerf.Reports;
using SkiaSharp;

namespace RfcnPerf.Fuzz;

/// <summary>
/// Small ONNX graphs as fuzzing seeds (real models are megabytes: far too big to mutate usefully). Together
/// they reach every part of the reader: initializers (float, int64, raw data), attributes, symbolic and fixed
/// dims, metadata, a second opset domain, the tf-od-api family and a fixed-batch graph that batchify rewrites.
/// </summary>
internal static class Seeds
{
    public static int WriteOnnx(string dir)
    {
        Directory.CreateDirectory(dir);
        var seeds = new Dictionary<string, OnnxGraphBuilder>
        {
            ["conv-fixed-batch"] = new OnnxGraphBuilder()
                .Input("images", OnnxElementType.Float, 1, 3, 8, 8)
                .Initializer("w", Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => i * 0.01f).ToArray(), 2, 3, 3, 3)
                .Initializer("b", [0.5f, -0.5f], 2)
                .Conv("images", "w", "b", "conv", pad: 1)
                .Relu("conv", "relu")
                .Output("relu", OnnxElementType.Float, 1, 2, 8, 8),
            ["reshape-concat-dynamic"] = new OnnxGraphBuilder()
                .Input("x", OnnxElementType.Float, "batch", 4, 6)
                .Initializer("shape", [0L, -1L], 2)
                .Reshape("x", "shape", "flat")
                .Identity("flat", "flat2")
                .Concat("out", 1, "flat", "flat2")
                .Output("out", OnnxElementType.Float, "batch", 48)
                .Metadata("author", "fuzz-seed"),
            ["add-constant-int64"] = new OnnxGraphBuilder("g", opset: 13)
                .Opset("com.microsoft", 1)
                .Input("a", OnnxElementType.Int64, 2, 3)
                .Constant("c", [1L, 2L, 3L], 3)
                .Add("a", "c", "sum")
                .Output("sum", OnnxElementType.Int64, 2, 3),
            ["tf-od-api"] = OnnxGraphBuilder.TfOdApi(),
        };
        foreach (var (name, builder) in seeds)
        {
            File.WriteAllBytes(Path.Combine(dir, name + ".onnx"), builder.ToBytes());
        }

        return seeds.Count;
    }

    /// <summary>Tiny PNG (RGBA, gray) and JPEG (colour, gray) images encoded by Skia itself.</summary>
    public static int WriteImages(string dir)
    {
        Directory.CreateDirectory(dir);
        var count = 0;
        foreach (var colorType in new[] { SKColorType.Rgba8888, SKColorType.Gray8 })
        {
            using var bitmap = new SKBitmap(new SKImageInfo(12, 8, colorType, SKAlphaType.Premul));
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 20), (byte)(y * 30), (byte)((x + y) * 10), (byte)(255 - x)));
                }
            }

            foreach (var (format, ext) in new[] { (SKEncodedImageFormat.Png, "png"), (SKEncodedImageFormat.Jpeg, "jpg") })
            {
                using var data = bitmap.Encode(format, 75);
                File.WriteAllBytes(Path.Combine(dir, $"{colorType.ToString().ToLowerInvariant()}.{ext}"), data.ToArray());
                count++;
            }
        }

        return count;
    }

    /// <summary>A run.json written by the real writer from the stats of an <c>eval score --json</c> file.</summary>
    public static void WriteRunJson(string scoreJson, string path)
    {
        var run = ReportJson.ReadRuns(scoreJson).Single();
        ReportJson.Write(path, run);
    }
}
