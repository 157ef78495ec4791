using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// A server over TF Serving REST/gRPC or KServe (<c>--url</c>): each sample is one request of one image, its body
/// built from the sample library before timing by <see cref="LoadClient"/>, as <c>load</c>'s other modes send them.
/// With an <see cref="AccuracyLog"/> (accuracy mode) each answer's detections are read back from the response and
/// recorded against the image's size, exactly as <see cref="InProcessSut"/> records the served signature.
/// </summary>
internal sealed class RemoteSut : ISystemUnderTest, IDisposable
{
    /// <summary>Requests in flight at most within one query (offline's and multi-stream's); the server scenario's arrivals are limited by its own setting.</summary>
    public const int MaxRequestsPerQuery = 64;

    private readonly LoadClient client;
    private readonly SampleFanOut fanOut = new(MaxRequestsPerQuery);
    private readonly SampleLibrary library;
    private readonly AccuracyLog? accuracy;
    private readonly string name;

    public RemoteSut(LoadOptions options, SampleLibrary library, AccuracyLog? accuracy = null)
    {
        // One distinct body per loaded sample, in library order, so request i carries sample i.
        client = new LoadClient(options with { Images = library.Paths, Batch = 1, DistinctBodies = library.Count });
        this.library = library;
        this.accuracy = accuracy;
        name = $"{LoadProtocolNames.Name(options.Protocol)} {options.Url}";
    }

    public string Name => name;

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel) =>
        fanOut.RunAsync(query, clock, index => client.SendAsync(index, cancel, accuracy is null ? null : tensors => Record(index, tensors)), cancel);

    public void Dispose() => client.Dispose();

    /// <summary>
    /// The boxes come back normalised; the image's size is the decoder's (as the in-process system decodes the same
    /// bytes), so both paths scale the same floats by the same integers.
    /// </summary>
    private void Record(int index, DetectionTensors tensors)
    {
        if (tensors.Images != 1)
        {
            throw new Core.RfcnPerfException($"the answer holds {tensors.Images} images' detections for a request of 1 image");
        }

        int width, height;
        using (var image = ImageDecoder.Decode(library.Bytes[index], library.Paths[index]))
        {
            (width, height) = (image.Width, image.Height);
        }

        accuracy!.Record(index, tensors, 0, width, height);
    }
}
