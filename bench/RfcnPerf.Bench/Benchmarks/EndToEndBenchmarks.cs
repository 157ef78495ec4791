using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// What a request costs outside the model, on real COCO images: JPEG decode (file read included), pre-processing
/// (letterbox resize and normalisation into the pinned input), inference, post-processing (family decode and
/// NMS at the family's published evaluation thresholds), and all four in a row, all through the core's
/// <see cref="DetectionPipeline"/>. Batch 1, ORT default threads; requests cycle through the first COCO images.
/// </summary>
[Config(typeof(RealTimeConfig))]
public class EndToEndBenchmarks : ISweepCase
{
    // Post-processing cycles through the stored outputs of this many images (copies, about 2.8 MB each for yolov8).
    private const int PostprocessImages = 8;

    private readonly DecodedImage[] single = new DecodedImage[1];
    private SweepSession? session;
    private DetectionPipeline? pipeline;
    private string[] images = [];
    private DecodedImage[] decoded = [];
    private (ModelOutputs Outputs, LetterboxGeometry Geometry)[] stored = [];
    private List<Detection>[] detections = [[]];
    private int next;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default;

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => BenchFailures.Guard($"{nameof(EndToEndBenchmarks)} [{Variant}]", () =>
    {
        session = SweepSession.Open(nameof(EndToEndBenchmarks), Variant, Point);
        images = BenchAssets.Images(BenchContext.Current.Profile.EndToEndImages);
        pipeline = new DetectionPipeline(session.Session.Default, BenchAssets.Categories());
        decoded = [.. images.Select(ImageDecoder.Decode)];
        stored = [.. decoded.Take(PostprocessImages).Select(StoreOutputs)];
        return 0;
    });

    /// <summary>Inference alone on a prepared input: the baseline the other stages are compared with.</summary>
    [Benchmark(Baseline = true, Description = "inference (Run)")]
    [BenchmarkCategory(BenchCategories.Inference)]
    public ModelOutputs Inference() => session!.Run();

    /// <summary>Read and decode the next JPEG.</summary>
    [Benchmark(Description = "JPEG decode")]
    [BenchmarkCategory(BenchCategories.Stage)]
    public int Decode()
    {
        using var image = ImageDecoder.Decode(images[NextIndex(images.Length)]);
        return image.Width;
    }

    /// <summary>Letterbox and normalise the next decoded image into the input tensor.</summary>
    [Benchmark(Description = "pre-process")]
    [BenchmarkCategory(BenchCategories.Stage)]
    public double Preprocess()
    {
        single[0] = decoded[NextIndex(decoded.Length)];
        return pipeline!.Prepare(single);
    }

    /// <summary>Decode boxes and run NMS on the next stored model output.</summary>
    [Benchmark(Description = "post-process")]
    [BenchmarkCategory(BenchCategories.Stage)]
    public int Postprocess()
    {
        var (outputs, geometry) = stored[NextIndex(stored.Length)];
        detections[0].Clear();
        pipeline!.Stream.Head.Decode(outputs, 0, geometry, pipeline.Options, pipeline.Categories, detections[0]);
        return detections[0].Count;
    }

    /// <summary>JPEG file to detections in original pixels: decode, pre-process, inference, post-process.</summary>
    [Benchmark(Description = "end to end")]
    [BenchmarkCategory(BenchCategories.EndToEnd)]
    public int EndToEnd()
    {
        using var image = ImageDecoder.Decode(images[NextIndex(images.Length)]);
        single[0] = image;
        pipeline!.Prepare(single);
        pipeline.Infer();
        pipeline.Decode(1, detections);
        return detections[0].Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var image in decoded)
        {
            image.Dispose();
        }

        pipeline?.Dispose();
        session?.Dispose();
    }

    private int NextIndex(int count)
    {
        var i = next;
        next = (next + 1) % count;
        return i;
    }

    private (ModelOutputs, LetterboxGeometry) StoreOutputs(DecodedImage image)
    {
        using var pre = new Preprocessor(pipeline!.Stream.Head.Preprocess);
        var geometry = pre.WriteNchw(image, pipeline.Stream.InputSlot(0));
        var outputs = pipeline.Stream.Run();
        var names = Enumerable.Range(0, outputs.Count).Select(outputs.Name).ToArray();
        var data = Enumerable.Range(0, outputs.Count).Select(i => outputs.ForImage(i, 0).ToArray()).ToArray();
        var shapes = Enumerable.Range(0, outputs.Count).Select(i => outputs.Shape(i).ToArray()).ToArray();
        return (new ModelOutputs(names, data, shapes), geometry);
    }
}
