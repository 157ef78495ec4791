using System.Text.Json;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Testing;
using SkiaSharp;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The model (yolov8n from the environment's store: cache, mirror, else npm) and test images: the first COCO
/// val2017 images when the COCO folder is there, else JPEGs drawn here (the repo bundles no images yet).
/// </summary>
internal static class ServingTestData
{
    private static readonly Lazy<string> Model = new(() => AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!));
    private static readonly Lazy<string[]> ImageFiles = new(FindImages);

    public static string ModelPath => Model.Value;

    /// <summary>Three JPEG files of different sizes.</summary>
    public static string[] Images => ImageFiles.Value;

    /// <summary>What the in-process pipeline (the one <c>detect</c> runs) finds, as the served tensors.</summary>
    public static DetectionTensors InProcess(params string[] files)
    {
        using var session = DetectorSession.Open(ModelPath, new SessionSettings(), 1);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        var all = new List<Core.PostProcessing.Detection[]>();
        var sizes = new List<(int, int)>();
        foreach (var file in files)
        {
            using var image = ImageDecoder.Decode(file);
            all.Add(pipeline.Detect([image]).Detections[0].ToArray());
            sizes.Add((image.Width, image.Height));
        }

        return DetectionTensors.From(all, sizes);
    }

    /// <summary>Reads one image's outputs from a TF Serving row-format prediction object.</summary>
    public static (float[] Boxes, float[] Classes, float[] Scores, int Count) FromPrediction(JsonElement prediction)
    {
        var count = (int)prediction.GetProperty(DetectionTensors.Count).GetSingle();
        var boxes = prediction.GetProperty(DetectionTensors.Boxes).EnumerateArray().SelectMany(b => b.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        var classes = prediction.GetProperty(DetectionTensors.Classes).EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var scores = prediction.GetProperty(DetectionTensors.Scores).EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return (boxes, classes, scores, count);
    }

    /// <summary>Asserts that image <paramref name="index"/> of <paramref name="expected"/> equals the served values (first Count rows), within <paramref name="tolerance"/>.</summary>
    public static void AssertSame(DetectionTensors expected, int index, (float[] Boxes, float[] Classes, float[] Scores, int Count) actual, float tolerance = 0)
    {
        var n = (int)expected.CountData[index];
        Assert.Equal(n, actual.Count);
        Assert.True(n > 0, "the image should have detections");
        for (var j = 0; j < n; j++)
        {
            var k = (index * expected.Max) + j;
            Assert.Equal(expected.ClassData[k], actual.Classes[j]);
            Assert.InRange(actual.Scores[j], expected.ScoreData[k] - tolerance, expected.ScoreData[k] + tolerance);
            for (var c = 0; c < 4; c++)
            {
                Assert.InRange(actual.Boxes[(j * 4) + c], expected.BoxData[(k * 4) + c] - tolerance, expected.BoxData[(k * 4) + c] + tolerance);
            }
        }
    }

    private static string[] FindImages()
    {
        if (Directory.Exists(TestPaths.CocoImages))
        {
            var coco = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).Take(3).ToArray();
            if (coco.Length == 3)
            {
                return coco;
            }
        }

        var dir = Directory.CreateTempSubdirectory("rfcnperf-serving-images").FullName;
        return [Draw(dir, 640, 480, 1), Draw(dir, 500, 375, 2), Draw(dir, 427, 640, 3)];
    }

    private static string Draw(string dir, int width, int height, int seed)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            var random = new Random(seed);
            canvas.Clear(new SKColor(200, 210, 220));
            for (var i = 0; i < 12; i++)
            {
                using var paint = new SKPaint { Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) };
                canvas.DrawRect(random.Next(width - 60), random.Next(height - 60), 20 + random.Next(120), 20 + random.Next(120), paint);
            }
        }

        var path = Path.Combine(dir, $"drawn{seed}.jpg");
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
