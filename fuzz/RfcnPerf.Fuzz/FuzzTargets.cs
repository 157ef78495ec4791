using System.Security.Cryptography;
using RfcnPerf.Coco;
using RfcnPerf.Coco.Json;
using RfcnPerf.Core;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Onnx;
using RfcnPerf.Reports;

namespace RfcnPerf.Fuzz;

/// <summary>
/// One target per reader of untrusted input. Each feeds the bytes to the reader's real entry point and
/// catches only the reader's own exception type: anything else escapes and AFL records it as a crash.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The ground truth that results records are checked against (images 1-3, categories 1-3).</summary>
    private const string ResultsGroundTruth =
        """
        {"images": [{"id": 1, "width": 640, "height": 480}, {"id": 2, "width": 640, "height": 480}, {"id": 3, "width": 320, "height": 240}],
         "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}, {"id": 3, "name": "dog"}],
         "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 100, 100], "area": 10000, "iscrowd": 0},
                         {"id": 2, "image_id": 2, "category_id": 2, "bbox": [5, 5, 20, 40], "area": 800, "iscrowd": 1}]}
        """;

    private static readonly Lazy<CocoGroundTruth> Truth = new(() =>
        GroundTruthReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ResultsGroundTruth)), "fuzz-gt.json"));

    private static readonly string ScratchFile = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"rfcnperf-fuzz-{Environment.ProcessId}.json");

    /// <summary>Target names, as <c>fuzz/run.sh</c> takes them.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["gt"] = GroundTruth,
        ["results"] = Results,
        ["score"] = Score,
        ["onnx"] = Onnx,
        ["image"] = Image,
    };

    /// <summary>COCO ground truth (instances_*.json).</summary>
    public static void GroundTruth(byte[] bytes)
    {
        try
        {
            var gt = GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json");
            _ = gt.Images.Count + gt.Categories.Count + gt.AnnotationCount;
        }
        catch (CocoException)
        {
        }
    }

    /// <summary>COCO results (loadRes array) against a small fixed ground truth, failing on unknown images.</summary>
    public static void Results(byte[] bytes)
    {
        try
        {
            var builder = new ResultsBuilder();
            ResultsReader.Read(new MemoryStream(bytes), "fuzz.json", Truth.Value, dropUnknownImages: false, builder);
            _ = builder.Build(["fuzz.json"]).Count;
        }
        catch (CocoException)
        {
        }
    }

    /// <summary>Files <c>eval compare</c> reads: report.json, run.json, <c>eval score --json</c> output.</summary>
    public static void Score(byte[] bytes)
    {
        File.WriteAllBytes(ScratchFile, bytes);
        try
        {
            _ = ReportJson.ReadRuns(ScratchFile).Count;
        }
        catch (RfcnPerfException)
        {
        }
    }

    /// <summary>ONNX ModelProto: parse + validation, model info (shapes, compute estimate, both formats), batchify.</summary>
    public static void Onnx(byte[] bytes)
    {
        try
        {
            var model = OnnxModelFile.Parse(bytes, "fuzz.onnx");
            var info = ModelInfo.Create(model, "fuzz.onnx", bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), null);
            _ = info.Format().Length + info.ToJson().Length;
            _ = BatchRewriter.Rewrite(model, "fuzz.onnx");
        }
        catch (OnnxModelException)
        {
        }
    }

    /// <summary>Encoded images (JPEG/PNG and whatever else Skia's codecs recognise).</summary>
    public static void Image(byte[] bytes)
    {
        try
        {
            using var image = ImageDecoder.Decode(bytes, "fuzz.img");
            _ = image.Width * image.Height;
        }
        catch (RfcnPerfException)
        {
        }
    }

    /// <summary>Deletes the scratch file of <see cref="Score"/>.</summary>
    public static void Cleanup() => File.Delete(ScratchFile);
}
