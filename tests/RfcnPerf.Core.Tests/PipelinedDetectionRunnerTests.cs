using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class PipelinedDetectionRunnerTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static IReadOnlyList<ImageRef> CocoImages(int count) => Directory
        .EnumerateFiles(TestPaths.CocoImages, "*.jpg")
        .Order(StringComparer.Ordinal)
        .Take(count)
        .Select(p => new ImageRef(long.Parse(Path.GetFileNameWithoutExtension(p), System.Globalization.CultureInfo.InvariantCulture), p))
        .ToArray();

    /// <summary>
    /// The pipelined runner pre-processes into other streams' buffers while the model runs: every image's
    /// detections must still equal the sequential runner's bit for bit (same session, same batch, same inputs),
    /// including a partial last batch (7 images at batch 3) and more batches than slots.
    /// </summary>
    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(3, 2)]
    public void Detections_equal_the_sequential_runner(int batch, int depth)
    {
        var images = CocoImages(7);
        using var session = DetectorSession.Open(MirrorModels.Yolov8nPath, new SessionSettings(), batch);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var runner = new PipelinedDetectionRunner(pipeline, depth);

        var sequential = DetectionRunner.Run(pipeline, images);
        var progress = new List<int>();
        var pipelined = runner.Run(images, progress: progress.Add);

        Assert.Equal(images, pipelined.Images.Select(i => i.Image));
        Assert.Equal(sequential.Images.Select(i => (i.Width, i.Height)), pipelined.Images.Select(i => (i.Width, i.Height)));
        Assert.Contains(pipelined.Images, i => i.Detections.Count > 0);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(sequential.Images[i].Detections, pipelined.Images[i].Detections);
        }

        Assert.Equal((images.Count + batch - 1) / batch, pipelined.Batches.Count);
        Assert.Equal(images.Count, progress[^1]);
        Assert.All(pipelined.Batches, b => Assert.True(b.Times.InferenceMs > 0 && b.Times.DecodeMs > 0 && b.Times.PreprocessMs > 0, $"stage not timed: {b}"));

        // The session was warmed up by the sequential pass: every pipelined batch is steady and wall-timed.
        Assert.Equal(images.Count, pipelined.PipelinedSteadyImages);
        Assert.NotNull(pipelined.PipelinedSteadyTime);
        Assert.Null(sequential.PipelinedSteadyTime);
    }

    [Fact]
    public void Bad_images_are_skipped_in_order_or_stop_the_run_with_their_name()
    {
        var good = CocoImages(3);
        var truncated = temp.File("000000000001.jpg");
        var bytes = File.ReadAllBytes(good[0].Path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var missing = temp.File("000000000002.jpg");
        IReadOnlyList<ImageRef> list = [good[0], new(1, truncated), good[1], new(2, missing), good[2], new(1, truncated)];
        using var session = DetectorSession.Open(MirrorModels.Yolov8nPath, new SessionSettings(), 1);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var runner = new PipelinedDetectionRunner(pipeline);

        var progress = new List<int>();
        var result = runner.Run(list, skipBadImages: true, progress: progress.Add);
        var sequential = DetectionRunner.Run(pipeline, list, skipBadImages: true);

        Assert.Equal(good, result.Images.Select(i => i.Image));
        Assert.Equal(sequential.BadImages, result.BadImages);
        Assert.Equal([truncated, missing, truncated], result.BadImages.Select(b => b.Path));
        Assert.Equal(list.Count, progress[^1]);

        var ex = Assert.Throws<RfcnPerfException>(() => runner.Run(list));
        Assert.Contains(truncated, ex.Message, StringComparison.Ordinal);

        // The runner is still usable after a failed pass (its slots went back to the pool).
        Assert.Equal(good, runner.Run(good).Images.Select(i => i.Image));
    }

    [Fact]
    public void A_cancelled_pass_stops_and_a_checkpoint_resumes_it_with_the_same_results()
    {
        var images = CocoImages(5);
        using var session = DetectorSession.Open(MirrorModels.Yolov8nPath, new SessionSettings(), 1);
        using var pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
        using var runner = new PipelinedDetectionRunner(pipeline);
        var uninterrupted = DetectionRunner.Run(pipeline, images);
        var path = temp.File("run.checkpoint");

        using (var cts = new CancellationTokenSource())
        using (var first = DetectionCheckpoint.Open(path, "fp"))
        {
            Assert.Throws<OperationCanceledException>(() => runner.Run(images, progress: done =>
            {
                if (done >= 2)
                {
                    cts.Cancel();
                }
            }, cancellationToken: cts.Token, checkpoint: first));
        }

        using var second = DetectionCheckpoint.Open(path, "fp");
        Assert.InRange(second.DonePaths.Count, 2, images.Count - 1);
        var resumed = runner.Run(images, checkpoint: second);

        Assert.Equal(images, resumed.Images.Select(i => i.Image));
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(uninterrupted.Images[i].Detections, resumed.Images[i].Detections);
        }
    }

    /// <summary>
    /// The end-to-end measurement's shape: one interleaved run of the three passes (sequential and pipelined pass
    /// paired with the model call), one sample per measured pass, per-image times, and the kept shares from the paired rounds (an
    /// end-to-end pass does at least the model call's work, so on a quiet run they sit near or under 1; not
    /// asserted as a speed, only as sane ratios).
    /// </summary>
    [Fact]
    public void End_to_end_speed_compares_each_pass_with_the_model_call()
    {
        var images = CocoImages(3);
        var rounds = new List<string>();
        var options = new ComparisonOptions { FixedRounds = 2, WarmupRounds = 0, Seed = 7 };
        var r = EndToEndSpeed.Measure(MirrorModels.Yolov8nPath, images, new SessionSettings { AllowSpinning = false }, options, (label, round) => rounds.Add($"{label} {round}"));

        Assert.Equal(["passes 1", "passes 2"], rounds);
        foreach (var pass in new[] { r.ModelCall, r.Sequential, r.Pipelined })
        {
            Assert.Equal(2 * ComparisonOptions.MinBlockRequests, pass.Count);
            Assert.True(pass.MinMs > 0 && double.IsFinite(pass.MaxMs));
        }

        Assert.Equal(7UL, r.SequentialVsCall.Conditions.Seed);
        Assert.Equal(StopReason.FixedRounds, r.PipelinedVsCall.Conditions.Stopped);
        Assert.InRange(r.KeptSequential, 0.05, 3);
        Assert.InRange(r.KeptPipelined, 0.05, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => EndToEndSpeed.Measure(MirrorModels.Yolov8nPath, [], new SessionSettings(), options));
    }
}
