using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace RfcnPerf.Serving;

/// <summary>
/// The model server: Kestrel with the TF Serving REST API, KServe v2 and <c>/metrics</c> on the REST port
/// (HTTP/1.1) and TF Serving's gRPC services on the gRPC port (HTTP/2 cleartext). Stopping it (SIGTERM,
/// Ctrl+C or <see cref="StopAsync"/>) stops the batchers first (model runs in progress finish, images still
/// queued are answered 503 at once), then Kestrel stops accepting and waits for the requests in flight, which
/// now end within one model run, and finally the sessions are released.
/// </summary>
internal sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ModelRegistry registry;
    private readonly ListenOptions restListen;
    private readonly ListenOptions? grpcListen;
    private bool disposed;

    private ModelServer(WebApplication app, ModelRegistry registry, ListenOptions rest, ListenOptions? grpc, ServingMetrics metrics)
    {
        this.app = app;
        this.registry = registry;
        restListen = rest;
        grpcListen = grpc;
        Metrics = metrics;
    }

    public ServingMetrics Metrics { get; }

    public ModelRegistry Registry => registry;

    /// <summary>The REST port actually bound (differs from the option when it was 0).</summary>
    public int RestPort => ((IPEndPoint)restListen.EndPoint).Port;

    /// <summary>The gRPC port actually bound, or -1 when gRPC is off.</summary>
    public int GrpcPort => grpcListen is null ? -1 : ((IPEndPoint)grpcListen.EndPoint).Port;

    /// <summary>Completes when the host has stopped (a signal or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    /// <summary>Builds and starts the server over already opened models (it owns them from here).</summary>
    /// <param name="options">Ports, limits and batching.</param>
    /// <param name="models">The models to serve; the server owns them from here.</param>
    /// <param name="metrics">Where requests and batches are counted.</param>
    /// <param name="logLevel">Least severe level written to the console log.</param>
    /// <param name="configureLogging">Adds logging providers (tests capture the log with one).</param>
    public static async Task<ModelServer> StartAsync(ServingOptions options, IReadOnlyList<ServedModel> models, ServingMetrics metrics, LogLevel logLevel = LogLevel.Warning, Action<ILoggingBuilder>? configureLogging = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(ModelServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);

        // grpc-dotnet logs a refused call at Information, with the parser's exception and stack trace
        // (ErrorReadingMessage); RequestOutcomes writes the one line per refused request instead.
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout);
        ListenOptions? rest = null, grpc = null;
        var address = ParseHost(options.Host);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Listen(address, options.RestPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                rest = l;
            });
            if (options.GrpcPort >= 0)
            {
                k.Listen(address, options.GrpcPort, l =>
                {
                    l.Protocols = HttpProtocols.Http2;
                    grpc = l;
                });
            }
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = (int)Math.Min(options.MaxBodyBytes, int.MaxValue);
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
        });
        var registry = new ModelRegistry(models);

        var app = builder.Build();

        // ApplicationStopping fires before Kestrel waits for requests in flight: a queue that would take longer
        // than the drain timeout is answered 503 now instead of holding shutdown (and the exit code) hostage.
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var model in models)
            {
                model.Batcher.Stop();
            }
        });
        var tf = new TfServingRest(registry, options, metrics);
        var kserve = new KServeRest(registry, options, metrics);
        app.UseRouting();
        var outcomes = new RequestOutcomes(metrics, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestOutcomes.Category));
        app.Use(outcomes.InvokeAsync);

        app.MapMethods("/v1/models/{**rest}", ["GET", "POST", "PUT", "DELETE"], tf.HandleAsync);
        app.MapGet("/v2/health/live", kserve.LiveAsync);
        app.MapGet("/v2/health/ready", kserve.ReadyAsync);
        app.MapGet("/v2/models/{name}", (HttpContext c, string name) => kserve.MetadataAsync(c, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (HttpContext c, string name, string version) => kserve.MetadataAsync(c, name, version));
        app.MapGet("/v2/models/{name}/ready", (HttpContext c, string name) => kserve.ModelReadyAsync(c, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (HttpContext c, string name, string version) => kserve.ModelReadyAsync(c, name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext c, string name) => kserve.InferAsync(c, name, null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext c, string name, string version) => kserve.InferAsync(c, name, version));
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapGrpcService(GrpcRequests.Bind(b => Protos.Serving.PredictionService.BindService(b, new PredictionGrpcService(registry, options))));
        app.MapGrpcService(GrpcRequests.Bind(b => Protos.Serving.ModelService.BindService(b, new ModelStatusGrpcService(registry))));
        app.MapFallback(context => RestExchange.HandleAsync(context, "unknown", metrics, c =>
            throw ServingException.NotFound($"Malformed request: {c.Request.Method} {c.Request.Path}")));

        var server = new ModelServer(app, registry, rest!, grpc, metrics);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new Core.RfcnPerfException($"cannot listen on {options.Host}:{options.RestPort}/{options.GrpcPort}: {ex.Message}");
        }

        return server;
    }

    /// <summary>Stops accepting, lets requests in flight finish, drains the batchers.</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        foreach (var model in registry.Models)
        {
            await model.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        _ => IPAddress.TryParse(host, out var ip) ? ip : throw new Core.RfcnPerfException($"--host must be an IP address (127.0.0.1, ::1, 0.0.0.0), got '{host}'"),
    };
}
