using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace RfcnPerf.Serving;

/// <summary>
/// Middleware around every request, after it is answered: the gRPC metrics (REST records its own in
/// <see cref="RestExchange"/>), and one log line per failed request naming the status, the route, the client
/// and the reason, never a stack trace, whatever bytes the client sent. Exceptions: 503 / UNAVAILABLE (load
/// shedding, counted in the metrics only, so an overload does not flood the log) and an internal fault, which keeps
/// its stack trace because it is a bug.
/// </summary>
internal sealed class RequestOutcomes(ServingMetrics metrics, ILogger logger)
{
    /// <summary>The logger category of the one-line request log.</summary>
    public const string Category = "RfcnPerf.Serving.Requests";

    /// <summary>Longest reason written to the log; a hostile request can make a reason as long as its body.</summary>
    private const int MaxReasonChars = 300;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        await next(context).ConfigureAwait(false);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        string status, reason;
        bool failed, shed;
        if (IsGrpc(context))
        {
            // gRPC answers HTTP 200 with its status in the trailers, or in the headers of a trailers-only
            // response (an error before any message, which is how every refusal is sent).
            var code = Header(context, "grpc-status") ?? "0";
            status = Enum.TryParse<Grpc.Core.StatusCode>(code, out var parsed) && Enum.IsDefined(parsed) ? parsed.ToString() : code;
            metrics.Record("grpc" + context.Request.Path.Value, status, code != "0", Stopwatch.GetElapsedTime(start).TotalSeconds);
            failed = code != "0";
            shed = parsed == Grpc.Core.StatusCode.Unavailable;
            reason = Header(context, "grpc-message") is { } message ? Uri.UnescapeDataString(message) : string.Empty;
        }
        else
        {
            var code = context.Response.StatusCode;
            status = code.ToString(CultureInfo.InvariantCulture);
            failed = code >= 400;
            shed = code == StatusCodes.Status503ServiceUnavailable;
            reason = context.Items[RestExchange.ErrorItem] as string ?? string.Empty;
        }

        if (!failed || shed)
        {
            return;
        }

        var fault = context.Items[RestExchange.FaultItem] as Exception;
        logger.Log(
            fault is null ? LogLevel.Warning : LogLevel.Error,
            fault,
            "{Status} {Method} {Path} from {Client}: {Reason}",
            status,
            context.Request.Method,
            OneLine(context.Request.Path.Value ?? string.Empty),
            $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}",
            OneLine(reason));
    }

    /// <summary>
    /// <paramref name="text"/> on one line of at most <see cref="MaxReasonChars"/> characters: control characters
    /// (a newline in a JSON key, a %0A in a path) are escaped so a request cannot add lines to the log.
    /// </summary>
    internal static string OneLine(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxReasonChars) + 16);
        foreach (var c in text)
        {
            if (sb.Length >= MaxReasonChars)
            {
                sb.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
                break;
            }

            if (char.IsControl(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool IsGrpc(HttpContext context) =>
        context.Request.Protocol == "HTTP/2" && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    private static string? Header(HttpContext context, string name) =>
        context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { } trailers && trailers.TryGetValue(name, out var t) ? t.ToString()
        : context.Response.Headers.TryGetValue(name, out var h) ? h.ToString()
        : null;
}
