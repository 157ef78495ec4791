using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The one log line per failed request (<see cref="RequestOutcomes"/>) and the REST error path under it
/// (<see cref="RestExchange"/>), on a bare HttpContext: which outcomes are logged, at which level, with what.
/// </summary>
public sealed class RequestOutcomesTests
{
    [Fact]
    public async Task A_bug_in_a_handler_answers_500_with_the_error_JSON_and_logs_its_stack_trace()
    {
        var (context, body) = Context();
        var log = new LogCapture();
        await Outcomes(log).InvokeAsync(context, c => RestExchange.HandleAsync(c, "test", new ServingMetrics(), _ => throw new InvalidOperationException("boom\nsecond line")));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("{\"error\":\"internal error: InvalidOperationException: boom\"}", Encoding.UTF8.GetString(body.ToArray()));
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Equal("500 POST /v1/models/rfcn:predict from 10.1.2.3:4567: internal error: InvalidOperationException: boom", entry.Message);
    }

    [Theory]
    [InlineData(200, 0)]
    [InlineData(404, 1)]
    [InlineData(413, 1)]
    [InlineData(503, 0)] // load shedding: counted in the metrics, not logged per request
    public async Task Failed_requests_get_one_warning_line_except_load_shedding(int status, int lines)
    {
        var (context, _) = Context();
        var log = new LogCapture();
        await Outcomes(log).InvokeAsync(context, c => status == 200
            ? Task.CompletedTask
            : RestExchange.HandleAsync(c, "test", new ServingMetrics(), _ => throw new ServingException(Kind(status), "reason")));

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(lines, log.Entries.Count);
        Assert.All(log.Entries, e => Assert.Equal((LogLevel.Warning, $"{status} POST /v1/models/rfcn:predict from 10.1.2.3:4567: reason", (Exception?)null), (e.Level, e.Message, e.Exception)));
    }

    [Fact]
    public void A_reason_is_one_line_of_bounded_length()
    {
        Assert.Equal("a\\u000ab\\u000d\\u0000c", RequestOutcomes.OneLine("a\nb\r\0c"));
        var line = RequestOutcomes.OneLine(new string('x', 100_000));
        Assert.Equal(new string('x', 300) + "... (100000 characters)", line);
    }

    private static ServingErrorKind Kind(int status) => status switch
    {
        404 => ServingErrorKind.NotFound,
        413 => ServingErrorKind.TooLarge,
        _ => ServingErrorKind.Unavailable,
    };

    private static RequestOutcomes Outcomes(LogCapture log) => new(new ServingMetrics(), log.CreateLogger(RequestOutcomes.Category));

    private static (DefaultHttpContext Context, MemoryStream Body) Context()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/v1/models/rfcn:predict";
        context.Request.Protocol = "HTTP/1.1";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        context.Connection.RemotePort = 4567;
        context.Response.Body = body;
        return (context, body);
    }
}
