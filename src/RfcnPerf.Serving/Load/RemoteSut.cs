namespace RfcnPerf.Serving.Load;

/// <summary>
/// A server over TF Serving REST/gRPC or KServe (<c>--url</c>): each sample is one request of one image, its body
/// built from the sample library before timing by <see cref="LoadClient"/>, as <c>load</c>'s other modes send them.
/// </summary>
internal sealed class RemoteSut : ISystemUnderTest, IDisposable
{
    /// <summary>Requests in flight at most within one query (offline's and multi-stream's); the server scenario's arrivals are limited by its own setting.</summary>
    public const int MaxRequestsPerQuery = 64;

    private readonly LoadClient client;
    private readonly SampleFanOut fanOut = new(MaxRequestsPerQuery);
    private readonly string name;

    public RemoteSut(LoadOptions options, SampleLibrary library)
    {
        // One distinct body per loaded sample, in library order, so request i carries sample i.
        client = new LoadClient(options with { Images = library.Paths, Batch = 1, DistinctBodies = library.Count });
        name = $"{LoadProtocolNames.Name(options.Protocol)} {options.Url}";
    }

    public string Name => name;

    public Task<SampleAnswer[]> IssueAsync(ScenarioQuery query, ScenarioClock clock, CancellationToken cancel) =>
        fanOut.RunAsync(query, clock, index => client.SendAsync(index, cancel), cancel);

    public void Dispose() => client.Dispose();
}
