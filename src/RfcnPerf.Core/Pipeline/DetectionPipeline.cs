using System.Diagnostics;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Decoded images in, detections in original pixels out: pre-process into the stream's pinned input,
/// run, decode with the family head. One pipeline per stream; not thread-safe.
/// </summary>
public sealed class DetectionPipeline : IDisposable
{
    private readonly DetectorStream stream;
    private readonly Preprocessor? preprocessor;
    private readonly LetterboxGeometry[] geometries;

    /// <summary>Creates a pipeline over <paramref name="stream"/>.</summary>
    public DetectionPipeline(DetectorStream stream, CategoryMap categories, PostprocessOptions? options = null)
    {
        this.stream = stream;
        Categories = categories;
        Options = options ?? stream.Head.DefaultPostprocess;
        if (stream.Head.Preprocess.Layout == TensorLayout.NchwFloat)
        {
            preprocessor = new Preprocessor(stream.Head.Preprocess);
        }

        geometries = new LetterboxGeometry[stream.BatchSize];
    }

    /// <summary>Post-processing thresholds in force.</summary>
    public PostprocessOptions Options { get; }

    /// <summary>Class index to category id map.</summary>
    public CategoryMap Categories { get; }

    /// <summary>The stream this pipeline drives.</summary>
    public DetectorStream Stream => stream;

    /// <summary>Images per run.</summary>
    public int BatchSize => stream.BatchSize;

    /// <summary>
    /// Pre-processes up to <see cref="BatchSize"/> images into the input tensor (a partial last batch leaves
    /// the remaining slots as they were; their outputs are ignored). Returns the elapsed milliseconds.
    /// </summary>
    public double Prepare(IReadOnlyList<DecodedImage> images)
    {
        if (images.Count == 0 || images.Count > BatchSize)
        {
            throw new ArgumentException($"images has {images.Count} entries but the batch size is {BatchSize}", nameof(images));
        }

        var start = Stopwatch.GetTimestamp();
        for (var b = 0; b < images.Count; b++)
        {
            geometries[b] = preprocessor is not null
                ? preprocessor.WriteNchw(images[b], stream.InputSlot(b))
                : Preprocessor.WriteNhwcBytes(images[b], stream.PrepareImageInput(images[b].Width, images[b].Height));
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Runs inference on the prepared input; returns the elapsed milliseconds.</summary>
    public double Infer()
    {
        var start = Stopwatch.GetTimestamp();
        stream.Run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>
    /// Runs inference on the first <paramref name="count"/> prepared images only (a smaller batch on a
    /// dynamic-batch model, the whole batch otherwise); returns the elapsed milliseconds.
    /// </summary>
    public double Infer(int count)
    {
        var start = Stopwatch.GetTimestamp();
        stream.RunFirst(count);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Decodes the last run's outputs for the first <paramref name="count"/> images of the batch.</summary>
    public void Decode(int count, List<Detection>[] into)
    {
        var outputs = LastOutputs ?? throw new InvalidOperationException("Decode before Infer");
        for (var b = 0; b < count; b++)
        {
            into[b].Clear();
            stream.Head.Decode(outputs, b, geometries[b], Options, Categories, into[b]);
        }
    }

    /// <summary>Pre-process, run and decode one batch; returns per-image detections and the stage times (decode excluded).</summary>
    public (List<Detection>[] Detections, StageTimes Times) Detect(IReadOnlyList<DecodedImage> images)
    {
        var prepare = Prepare(images);
        var infer = Infer();
        var start = Stopwatch.GetTimestamp();
        var result = new List<Detection>[images.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = [];
        }

        Decode(images.Count, result);
        return (result, new StageTimes(0, prepare, infer, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
    }

    private ModelOutputs? LastOutputs => stream.LastOutputs;

    /// <inheritdoc />
    public void Dispose() => preprocessor?.Dispose();
}
