using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using RfcnPerf.Serving.Protos.Serving;

namespace RfcnPerf.Serving.Load;

/// <summary>Sends prepared requests and reports the outcome as a status label ("200", "503", "Unavailable", ...).</summary>
internal sealed class LoadClient : IDisposable
{
    private readonly LoadOptions options;
    private readonly HttpClient? http;
    private readonly Uri? endpoint;
    private readonly byte[][] bodies = [];
    private readonly GrpcChannel? channel;
    private readonly PredictionService.PredictionServiceClient? grpc;
    private readonly PredictRequest[] grpcRequests = [];

    public LoadClient(LoadOptions options)
    {
        this.options = options;
        var groups = Groups(options).ToArray();
        if (options.Protocol == LoadProtocol.TfServingGrpc)
        {
            var name = options.Url.AbsolutePath.Trim('/');
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                throw new Core.RfcnPerfException($"--url for tfserving-grpc is http://HOST:PORT/MODEL_NAME, got {options.Url}");
            }

            channel = GrpcChannel.ForAddress(new Uri(options.Url.GetLeftPart(UriPartial.Authority)), new GrpcChannelOptions
            {
                MaxReceiveMessageSize = null,
                MaxSendMessageSize = null,
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            });
            grpc = new PredictionService.PredictionServiceClient(channel);
            grpcRequests = groups.Select(g => LoadRequestBuilder.Grpc(name, options.Payload, g)).ToArray();
            RequestBytes = grpcRequests[0].CalculateSize();
        }
        else
        {
            var path = options.Url.AbsolutePath.TrimEnd('/');
            endpoint = options.Protocol == LoadProtocol.KServe
                ? new Uri(options.Url, path.EndsWith("/infer", StringComparison.Ordinal) ? path : path + "/infer")
                : new Uri(options.Url, path.EndsWith(":predict", StringComparison.Ordinal) ? path : path + ":predict");
            http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
            {
                Timeout = TimeSpan.FromMinutes(5),
            };
            bodies = groups.Select(g => LoadRequestBuilder.Json(options.Protocol, options.Payload, g)).ToArray();
            RequestBytes = bodies[0].LongLength;
        }
    }

    /// <summary>Distinct prepared requests.</summary>
    public int Count => Math.Max(bodies.Length, grpcRequests.Length);

    public long RequestBytes { get; }

    /// <summary>
    /// Sends prepared request <paramref name="index"/> (mod <see cref="Count"/>); returns null on success, else the
    /// status. With <paramref name="read"/> (accuracy mode) the answer's detections are read back
    /// (<see cref="LoadResponseReader"/>) and handed to it, and a failure's label carries its reason: the server's
    /// error message, or what made the answer unreadable ("bad-response: ...").
    /// </summary>
    public async Task<string?> SendAsync(int index, CancellationToken cancel, Action<DetectionTensors>? read = null)
    {
        try
        {
            if (grpc is not null)
            {
                var response = await grpc.PredictAsync(grpcRequests[index % grpcRequests.Length], cancellationToken: cancel).ConfigureAwait(false);
                if (read is not null)
                {
                    read(LoadResponseReader.Grpc(response));
                    return null;
                }

                return response.Outputs.ContainsKey(DetectionTensors.Count) ? null : "bad-response";
            }

            using var content = new ByteArrayContent(bodies[index % bodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var reply = await http!.PostAsync(endpoint, content, cancel).ConfigureAwait(false);
            var body = await reply.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
            if (reply.StatusCode != HttpStatusCode.OK)
            {
                var status = ((int)reply.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return read is null ? status : $"{status}: {LoadResponseReader.ErrorMessage(body)}";
            }

            if (read is not null)
            {
                read(LoadResponseReader.Json(options.Protocol, body));
                return null;
            }

            return body.Length > 0 ? null : "bad-response";
        }
        catch (Core.RfcnPerfException ex) when (read is not null)
        {
            return "bad-response: " + ex.Message;
        }
        catch (RpcException ex)
        {
            return read is null ? ex.StatusCode.ToString() : $"{ex.StatusCode}: {ex.Status.Detail.Split('\n', 2)[0]}";
        }
        catch (HttpRequestException ex)
        {
            return "connection-error" + (ex.HttpRequestError == HttpRequestError.Unknown ? string.Empty : ":" + ex.HttpRequestError);
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            return "client-timeout";
        }
    }

    public void Dispose()
    {
        http?.Dispose();
        channel?.Dispose();
    }

    private static IEnumerable<string[]> Groups(LoadOptions options)
    {
        if (options.Images.Count == 0)
        {
            throw new Core.RfcnPerfException("no images to send");
        }

        var next = 0;
        var count = Math.Max(1, Math.Min(options.DistinctBodies, (options.Images.Count + options.Batch - 1) / options.Batch));
        for (var g = 0; g < count; g++)
        {
            var group = new string[options.Batch];
            for (var i = 0; i < group.Length; i++)
            {
                group[i] = options.Images[next++ % options.Images.Count];
            }

            yield return group;
        }
    }
}
