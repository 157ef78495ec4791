using BenchmarkDotNet.Attributes;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// End-to-end throughput against the model call, same session, same settings (batch 1, ORT default threads, idle
/// intra-op threads not spinning: the decoder needs the cycles ORT's threads would otherwise spin away between and
/// inside model calls; with spinning the pipelined pass kept 0.79 of yolov8n's model-call throughput and 0.74 of
/// NanoDet's in results/reference of 2026-11-30 14:04, slower than the sequential pass for yolov8n): a
/// pass of <see cref="ImagesPerInvocation"/> COCO JPEGs through the sequential runner (every stage in series) and
/// through the pipelined runner (decode and pre-process of the next image overlap the model call), and the model
/// call alone as many times on a prepared input. Per image times, so images/s compare directly; the ratio column
/// is end-to-end time over model-call time (its inverse is the share of the model-call throughput kept end to end).
/// </summary>
[Config(typeof(PipelineConfig))]
public class PipelinedThroughputBenchmarks : ISweepCase
{
    /// <summary>Images per invocation: enough that filling the pipeline (one decode) is a few percent at most.</summary>
    public const int ImagesPerInvocation = 32;

    private SweepSession? session;
    private DetectionPipeline? pipeline;
    private PipelinedDetectionRunner? runner;
    private IReadOnlyList<ImageRef> images = [];

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default with { AllowSpinning = false };

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => BenchFailures.Guard($"{nameof(PipelinedThroughputBenchmarks)} [{Variant}]", () =>
    {
        session = SweepSession.Open(nameof(PipelinedThroughputBenchmarks), Variant, Point);
        var files = BenchAssets.Images(ImagesPerInvocation);
        images = [.. files.Select((path, i) => new ImageRef(i + 1, path))];
        pipeline = new DetectionPipeline(session.Session.Default, BenchAssets.Categories());
        runner = new PipelinedDetectionRunner(pipeline);

        // Warm the session (first run) and the page cache for the JPEGs.
        DetectionRunner.Run(pipeline, images);
        return 0;
    });

    /// <summary>The model call alone, once per image, on the input left by the last pass.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ImagesPerInvocation, Description = "model call")]
    [BenchmarkCategory(BenchCategories.Inference)]
    public ModelOutputs ModelCall()
    {
        ModelOutputs? last = null;
        for (var i = 0; i < ImagesPerInvocation; i++)
        {
            last = session!.Session.Default.Run();
        }

        return last!;
    }

    /// <summary>JPEG to detections, every stage in series on the calling thread.</summary>
    [Benchmark(OperationsPerInvoke = ImagesPerInvocation, Description = "end to end, sequential")]
    [BenchmarkCategory(BenchCategories.EndToEnd)]
    public int Sequential() => DetectionRunner.Run(pipeline!, images).Images.Count;

    /// <summary>JPEG to detections, decode and pre-process overlapping the model call.</summary>
    [Benchmark(OperationsPerInvoke = ImagesPerInvocation, Description = "end to end, pipelined")]
    [BenchmarkCategory(BenchCategories.EndToEnd)]
    public int Pipelined() => runner!.Run(images).Images.Count;

    [GlobalCleanup]
    public void Cleanup()
    {
        runner?.Dispose();
        pipeline?.Dispose();
        session?.Dispose();
    }
}
