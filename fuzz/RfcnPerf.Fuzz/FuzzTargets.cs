using System.Security.Cryptography;
using RfcnPerf.Coco;
using RfcnPerf.Coco.Json;
using RfcnPerf.Core;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Onnx;
using RfcnPerf.Accuracy;
using RfcnPerf.Serving;
using RfcnPerf.Serving.Protos.Serving;

namespace RfcnPerf.Fuzz;

/// <summary>
/// One target per reader of untrusted input. Each feeds the bytes to the reader's real entry point and
/// catches only the reader's own exception type: anything else escapes and AFL records it as a crash.
/// Each returns null when the input parsed, the reader's message when it refused it.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The ground truth results are checked against: every image id of the results seeds (fuzz/results-gt.json).</summary>
    private static readonly Lazy<CocoGroundTruth> Truth = new(() =>
        CocoGroundTruth.Load(Path.Combine(AppContext.BaseDirectory, "results-gt.json")));

    /// <summary>The ground truth of the segm results seeds (image sizes for the masks; fuzz/results-segm-gt.json).</summary>
    private static readonly Lazy<CocoGroundTruth> SegmTruth = new(() =>
        CocoGroundTruth.Load(Path.Combine(AppContext.BaseDirectory, "results-segm-gt.json"), CocoIouType.Segm));

    /// <summary>The ground truth of the keypoints results seeds (a person category of 17 keypoints; fuzz/results-keypoints-gt.json).</summary>
    private static readonly Lazy<CocoGroundTruth> KeypointsTruth = new(() =>
        CocoGroundTruth.Load(Path.Combine(AppContext.BaseDirectory, "results-keypoints-gt.json"), CocoIouType.Keypoints));

    private static readonly string ScratchFile = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"rfcnperf-fuzz-{Environment.ProcessId}.json");

    /// <summary>Target names, as <c>fuzz/run.sh</c> takes them.</summary>
    public static IReadOnlyDictionary<string, Func<byte[], string?>> All { get; } = new Dictionary<string, Func<byte[], string?>>(StringComparer.Ordinal)
    {
        ["gt"] = GroundTruth,
        ["results"] = Results,
        ["gt-segm"] = bytes => GroundTruthOf(bytes, CocoIouType.Segm),
        ["gt-keypoints"] = bytes => GroundTruthOf(bytes, CocoIouType.Keypoints),
        ["results-segm"] = bytes => ResultsOf(bytes, SegmTruth.Value),
        ["results-keypoints"] = bytes => ResultsOf(bytes, KeypointsTruth.Value),
        ["score"] = Score,
        ["compare"] = Compare,
        ["onnx"] = Onnx,
        ["image"] = Image,
        ["tfserving"] = TfServing,
        ["kserve"] = KServe,
        ["grpc-predict"] = GrpcPredict,
    };

    /// <summary>
    /// The limits <c>rfcnperf serve</c> runs with by default. Made per call, not in the static initializer: that runs
    /// before SharpFuzz sets up its shared memory, and instrumented code (ServingOptions' constructor) needs it.
    /// </summary>
    private static ServingOptions Serve => new();

    /// <summary>COCO ground truth (instances_*.json).</summary>
    public static string? GroundTruth(byte[] bytes) => GroundTruthOf(bytes, CocoIouType.Bbox);

    /// <summary>COCO results (loadRes array) against a small fixed ground truth, failing on unknown images.</summary>
    public static string? Results(byte[] bytes) => ResultsOf(bytes, Truth.Value);

    /// <summary>A ground truth read for an evaluation of <paramref name="iouType"/> (segmentations, keypoints).</summary>
    private static string? GroundTruthOf(byte[] bytes, CocoIouType iouType) => Refused<CocoException>(() =>
    {
        var gt = GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json", iouType);
        _ = gt.Images.Count + gt.Categories.Count + gt.AnnotationCount;
    });

    /// <summary>Results read for the evaluation the ground truth was read for, then evaluated (masks rasterised, OKS computed).</summary>
    private static string? ResultsOf(byte[] bytes, CocoGroundTruth truth) => Refused<CocoException>(() =>
    {
        var builder = new ResultsBuilder(truth.IouType);
        ResultsReader.Read(new MemoryStream(bytes), "fuzz.json", truth, dropUnknownImages: false, builder);
        var results = builder.Build(["fuzz.json"]);
        if (truth.IouType != CocoIouType.Bbox)
        {
            _ = new CocoEvaluator(truth, results, new CocoEvalParams(truth.IouType), 1).Run().Stats.Count;
        }
    });

    /// <summary>The typed <c>eval score --json</c> document of the evaluator.</summary>
    public static string? Score(byte[] bytes) => Refused<CocoException>(() => _ = CocoScoreFile.Parse(bytes, "fuzz.json").Stats.Count);

    /// <summary>Files <c>eval compare</c> reads: report.json, run.json, <c>eval score --json</c> output.</summary>
    public static string? Compare(byte[] bytes) => Refused<RfcnPerfException>(() =>
    {
        File.WriteAllBytes(ScratchFile, bytes);
        _ = ReportJson.ReadRuns(ScratchFile).Count;
    });

    /// <summary>ONNX ModelProto: parse + validation, model info (shapes, compute estimate, both formats), batchify.</summary>
    public static string? Onnx(byte[] bytes) => Refused<OnnxModelException>(() =>
    {
        var model = OnnxModelFile.Parse(bytes, "fuzz.onnx");
        var info = ModelInfo.Create(model, "fuzz.onnx", bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), null);
        _ = info.Format().Length + info.ToJson().Length;
        _ = BatchRewriter.Rewrite(model, "fuzz.onnx");
    });

    /// <summary>Encoded images (JPEG/PNG and whatever else Skia's codecs recognise).</summary>
    public static string? Image(byte[] bytes) => Refused<RfcnPerfException>(() =>
    {
        using var image = ImageDecoder.Decode(bytes, "fuzz.img");
        _ = image.Width * image.Height;
    });

    /// <summary>A TF Serving <c>:predict</c> body (row or columnar, nested lists or b64), up to the model run.</summary>
    public static string? TfServing(byte[] bytes) => Refused<ServingException>(() =>
        ImageJson.Dispose(TfServingRest.ParsePredictBody(bytes, Serve.MaxPixelsPerImage, Serve.MaxQueue).Images));

    /// <summary>A KServe v2 <c>/infer</c> body, up to the model run.</summary>
    public static string? KServe(byte[] bytes) => Refused<ServingException>(() =>
        ImageJson.Dispose(KServeRest.ParseInferBody(bytes, Serve.MaxPixelsPerImage, Serve.MaxQueue).Images));

    /// <summary>A gRPC <c>PredictRequest</c> message: the guarded parse, the signature, the input tensor's images.</summary>
    public static string? GrpcPredict(byte[] bytes) => Refused<ServingException>(() =>
    {
        var request = GrpcRequests.Parse(() => PredictRequest.Parser.ParseFrom(bytes));
        ServedSignature.Check(request.ModelSpec?.SignatureName);
        ImageJson.Dispose(PredictionGrpcService.ToImages(request, Serve.MaxPixelsPerImage, Serve.MaxQueue));
    });

    /// <summary>Deletes the scratch file of <see cref="Score"/>.</summary>
    public static void Cleanup() => File.Delete(ScratchFile);

    /// <summary>Runs <paramref name="read"/>: null when the input parsed, the message of the reader's own exception
    /// when it refused it; any other exception escapes (AFL records a crash).</summary>
    private static string? Refused<TException>(Action read)
        where TException : Exception
    {
        try
        {
            read();
            return null;
        }
        catch (TException ex)
        {
            return ex.Message;
        }
    }
}
