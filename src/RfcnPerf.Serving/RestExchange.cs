using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RfcnPerf.Core;

namespace RfcnPerf.Serving;

/// <summary>
/// What every REST handler shares: the body read into a pooled buffer under the body limit, JSON written
/// straight to the response, and one error path (<c>{"error": "..."}</c> with the status of the
/// <see cref="ServingException"/>, never a stack trace) with metrics recorded for every outcome.
/// </summary>
internal static class RestExchange
{
    public const string EndpointItem = "rfcnperf.endpoint";

    /// <summary>HttpContext item: the reason written in the error body, for <see cref="RequestOutcomes"/>' log line.</summary>
    public const string ErrorItem = "rfcnperf.error";

    /// <summary>HttpContext item: the exception of an internal fault (a bug), logged with its stack trace.</summary>
    public const string FaultItem = "rfcnperf.fault";

    /// <summary>
    /// Request bodies up to 16 MiB are pooled; larger ones are allocated per request and left to the GC, so one
    /// 256 MiB request does not stay resident in a pool for the life of the server.
    /// </summary>
    private static readonly ArrayPool<byte> BodyPool = ArrayPool<byte>.Create(16 << 20, 16);


    /// <summary>Runs <paramref name="handler"/>; any failure becomes a one-line JSON error.</summary>
    public static async Task HandleAsync(HttpContext context, string endpoint, ServingMetrics metrics, Func<HttpContext, Task> handler)
    {
        context.Items[EndpointItem] = endpoint;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (ServingException ex)
        {
            await WriteErrorAsync(context, ex.HttpStatus, ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's body limit (413) or a broken request stream (400).
            var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the request body is larger than the server's limit of {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (--max-body-mb)"
                : ex.Message;
            await WriteErrorAsync(context, ex.StatusCode, message).ConfigureAwait(false);
        }
        catch (RfcnPerfException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, ex.Message.Split('\n', 2)[0]).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // A bug, not a bad request: answered with the protocol's JSON, not ASP.NET's empty 500 (once the
            // response has started the exception goes on, and Kestrel resets the stream rather than end it cut
            // short); RequestOutcomes logs it with its stack trace.
            context.Items[FaultItem] = ex;
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, $"internal error: {ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]}").ConfigureAwait(false);
        }
        finally
        {
            var status = context.Response.StatusCode;
            metrics.Record(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture), status >= 400, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Items[ErrorItem] = message;
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Writes a JSON body produced by <paramref name="write"/>.</summary>
    public static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
            writer.Flush();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Parses a body read by <see cref="ReadBodyAsync"/>.</summary>
    public delegate T BodyParser<out T>(ReadOnlySpan<byte> body);

    /// <summary>Reads the body under <paramref name="limit"/> and parses it; the buffer goes back to the pool either way.</summary>
    public static async Task<T> ParseBodyAsync<T>(HttpContext context, long limit, BodyParser<T> parse)
    {
        var (buffer, length) = await ReadBodyAsync(context, limit).ConfigureAwait(false);
        try
        {
            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            BodyPool.Return(buffer);
        }
    }

    /// <summary>Reads the whole body into a buffer of <see cref="BodyPool"/>.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw new ServingException(ServingErrorKind.TooLarge, $"the request body has {declared} bytes, more than the server's limit of {limit} (--max-body-mb)");
        }

        var buffer = BodyPool.Rent((int)Math.Clamp(request.ContentLength ?? 64 * 1024, 1024, limit));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        throw new ServingException(ServingErrorKind.TooLarge, $"the request body is larger than the server's limit of {limit} bytes (--max-body-mb)");
                    }

                    var bigger = BodyPool.Rent((int)Math.Min((long)buffer.Length * 2, Math.Min(limit + 1, Array.MaxLength)));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    BodyPool.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            BodyPool.Return(buffer);
            throw;
        }
    }

    /// <summary>Writes a float array as a JSON array.</summary>
    public static void WriteFloats(Utf8JsonWriter w, ReadOnlySpan<float> values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
