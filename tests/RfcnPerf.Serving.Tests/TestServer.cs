using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Serving.Tests;

/// <summary>A server on ephemeral loopback ports over yolov8n, with a REST client and a gRPC channel.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(ModelServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.RestPort}"), Timeout = TimeSpan.FromMinutes(2) };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
    }

    public ModelServer Server { get; }

    public HttpClient Http { get; }

    public GrpcChannel Channel { get; }

    public ServedModel Model => Server.Registry.Models[0];

    public static async Task<TestServer> StartAsync(ServingOptions? options = null, string name = "rfcn", ILoggerProvider? log = null)
    {
        options ??= new ServingOptions();
        options = options with { RestPort = 0, GrpcPort = 0, Host = "127.0.0.1" };
        var metrics = new ServingMetrics();
        var model = ServedModel.Open(name, ServingTestData.ModelPath, new SessionSettings(), options, metrics);
        return new TestServer(await ModelServer.StartAsync(options, [model], metrics, configureLogging: log is null ? null : b => b.AddProvider(log)));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>One shared server (no batching, small limits) for the endpoint tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>Limits small enough to hit cheaply in tests.</summary>
    internal static readonly ServingOptions Options = new() { MaxBodyBytes = 8L << 20, MaxPixelsPerImage = 1_000_000, MaxQueue = 64 };

    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Options);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
