using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The detector in process: each sample's JPEG is decoded (as a served b64 request would be) and goes through the
/// same batcher and pipeline <c>rfcnperf serve</c> runs, without HTTP. The served model is owned by the caller.
/// </summary>
internal sealed class InProcessSut(ServedModel model, SampleLibrary library, long maxPixels) : ISystemUnderTest
{
    /// <summary>Samples in flight at most: enough to fill the batcher's queue, few enough that offline's one large query does not hold every decoded image at once.</summary>
    private readonly SampleFanOut fanOut = new(Math.Max(16, 4 * model.MaxBatch));

    public string Name => $"{model.Name} (in process)";

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel) =>
        fanOut.RunAsync(query, clock, async index =>
        {
            var image = await Task.Run(() => ImageDecoder.Decode(library.Bytes[index], library.Paths[index], maxPixels), cancel).ConfigureAwait(false);
            await model.DetectAsync([image]).ConfigureAwait(false);
            return null;
        }, cancel);
}
