using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The detector in process: each sample's JPEG is decoded (as a served b64 request would be) and goes through the
/// same batcher and pipeline <c>rfcnperf serve</c> runs, without HTTP. The served model is owned by the caller.
/// With an <see cref="AccuracyLog"/> (accuracy mode) each answer's detections are recorded from the served signature.
/// </summary>
internal sealed class InProcessSut(ServedModel model, SampleLibrary library, long maxPixels, AccuracyLog? accuracy = null) : ISystemUnderTest
{
    /// <summary>Samples in flight at most: enough to fill the batcher's queue, few enough that offline's one large query does not hold every decoded image at once.</summary>
    private readonly SampleFanOut fanOut = new(Math.Max(16, 4 * model.MaxBatch));

    public string Name => $"{model.Name} (in process)";

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel) =>
        fanOut.RunAsync(query, clock, async index =>
        {
            var image = await Task.Run(() => ImageDecoder.Decode(library.Bytes[index], library.Paths[index], maxPixels), cancel).ConfigureAwait(false);
            var (width, height) = (image.Width, image.Height);
            var tensors = await model.DetectAsync([image]).ConfigureAwait(false);
            accuracy?.Record(index, tensors, 0, width, height);
            return null;
        }, cancel);
}
