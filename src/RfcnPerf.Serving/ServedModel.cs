using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Serving;

/// <summary>
/// One model behind the server: a <see cref="DetectorSession"/> of batch <c>--max-batch</c>, one
/// <see cref="DetectionPipeline"/> per stream (the same pipeline <c>detect</c> runs), and the batcher that
/// feeds them. Served as version 1 under its name.
/// </summary>
internal sealed class ServedModel : IAsyncDisposable
{
    /// <summary>The only version a model has (TF Serving's <c>rfcn/1</c> folder).</summary>
    public const long Version = 1;

    private readonly DetectorSession session;
    private readonly List<DetectionPipeline> pipelines = [];

    private ServedModel(string name, DetectorSession session, ServingOptions options, PostprocessOptions? postprocess, ServingMetrics metrics)
    {
        Name = name;
        this.session = session;
        try
        {
            for (var s = 0; s < options.Streams; s++)
            {
                var stream = s == 0 ? session.Default : session.OpenStream();
                pipelines.Add(new DetectionPipeline(stream, CategoryMap.Coco80, postprocess));
            }

            WarmUp();
        }
        catch
        {
            DisposePipelines();
            throw;
        }

        Batcher = new DynamicBatcher(name, pipelines, options.MaxQueue, options.BatchTimeoutMicros, metrics);
    }

    public string Name { get; }

    public string ModelPath => session.ModelPath;

    public ModelFamily Family => session.Family;

    public int MaxBatch => session.BatchSize;

    public DynamicBatcher Batcher { get; }

    /// <summary>
    /// Opens <paramref name="modelPath"/> for serving as <paramref name="name"/>. Families that take one image of
    /// its own size per run (tf-od-api) are served with batches of 1 whatever <c>--max-batch</c> says.
    /// </summary>
    public static ServedModel Open(string name, string modelPath, SessionSettings settings, ServingOptions options, ServingMetrics metrics, ModelFamily? family = null, PostprocessOptions? postprocess = null)
    {
        var batch = options.MaxBatch;
        var session = DetectorSession.Open(modelPath, settings, 1, family, name);
        if (session.Family == ModelFamily.TfOdApi || batch == 1)
        {
            batch = 1;
        }
        else
        {
            session.Dispose();
            session = DetectorSession.Open(modelPath, settings, batch, family, name);
        }

        try
        {
            return new ServedModel(name, session, options, postprocess, metrics);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="images"/> through the batcher and packs their detections in the served signature;
    /// the images are disposed when their detections are in (or the request failed).
    /// </summary>
    public async Task<DetectionTensors> DetectAsync(List<DecodedImage> images)
    {
        try
        {
            var detections = await Batcher.SubmitAsync(images).ConfigureAwait(false);
            return DetectionTensors.From(detections, images.Select(i => (i.Width, i.Height)).ToArray());
        }
        finally
        {
            ImageJson.Dispose(images);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Batcher.DrainAsync().ConfigureAwait(false);
        DisposePipelines();
        session.Dispose();
    }

    private void WarmUp()
    {
        // The first run plans memory and JIT-compiles kernels; pay it before the first request does.
        var spec = pipelines[0].Stream.Head.Preprocess;
        int w = Math.Max(spec.InputWidth, 32), h = Math.Max(spec.InputHeight, 32);
        using var gray = DecodedImage.FromRgb(new byte[w * h * 3], w, h, "warm-up");
        foreach (var pipeline in pipelines)
        {
            pipeline.Prepare([gray]);
            pipeline.Infer(1);
            if (pipeline.BatchSize > 1)
            {
                pipeline.Infer();
            }
        }
    }

    private void DisposePipelines()
    {
        for (var i = pipelines.Count - 1; i >= 0; i--)
        {
            pipelines[i].Dispose();
        }
    }
}
